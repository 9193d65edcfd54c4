import type { z } from 'zod';
import { formatPath } from '../../contract/ingest.ts';
import { badField } from './errors.ts';

/** Parses at the edge: a zod failure becomes a 400 naming the field. */
export function parseOr400<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  // A strict schema's unknown field is named itself, not its parent.
  if (issue.code === 'unrecognized_keys') throw badField(formatPath([...issue.path, issue.keys[0]!]), 'is not a known field');
  throw badField(formatPath(issue.path), issue.message);
}
