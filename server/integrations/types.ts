/** What a source's mapping module gets and gives (CONTRACT §13). */
import type { JsonValue } from '../../contract/ingest.ts';
import type { IntegrationSource } from '../../contract/integrations.ts';

/** One delivery as it arrived: its parsed body (JSON, or a form's `payload`), the raw text, its headers (lower-case names). */
export interface HookDelivery {
  source: IntegrationSource;
  body: unknown;
  rawBody: string;
  headers: Record<string, string | undefined>;
}

/**
 * An event in the ingest format of POST /api/v1/log (§1, §12): the server checks each with the same
 * parser as a sent event, so a mapping cannot store what an app could not send.
 */
export type MappedEvent = { [field: string]: JsonValue };

/** A source's mapping: the events one delivery becomes (at least one, for any body; never throws). */
export type Mapper = (delivery: HookDelivery) => MappedEvent[];
