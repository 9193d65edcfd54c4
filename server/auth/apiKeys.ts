/** Creating API keys (shared by the settings page and the CLI) and resolving an Authorization header. */
import { randomUUID } from 'node:crypto';
import type { ApiKeyDto, CreatedApiKey, KeyScope } from '../../contract/api.ts';
import type { ApiKeyRow } from '../store/records.ts';
import type { StoreRepositories } from '../store/types.ts';
import { newSecret, sha256 } from './tokens.ts';

export const API_KEY_PREFIX = 'sb_';

export function toApiKeyDto(row: ApiKeyRow): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scope: row.scope,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
    createdBy: row.created_by !== null && row.created_by_email !== null ? { id: row.created_by, email: row.created_by_email } : null,
  };
}

/** A new key and the row that stores it (only its hash): shared by both ways of creating one. */
function newApiKey(projectId: number, name: string, createdBy: string | null, now: number, scope: KeyScope) {
  const key = `${API_KEY_PREFIX}${newSecret(24)}`;
  return { key, row: { id: randomUUID(), projectId, name, prefix: key.slice(0, API_KEY_PREFIX.length + 6), keyHash: sha256(key), scope, createdBy, now } };
}

export async function createApiKey(
  store: Pick<StoreRepositories, 'apiKeys'>,
  projectId: number,
  name: string,
  createdBy: string | null,
  now: number,
  scope: KeyScope = 'ingest',
): Promise<CreatedApiKey> {
  const { key, row } = newApiKey(projectId, name, createdBy, now, scope);
  return { ...toApiKeyDto(await store.apiKeys.create(row)), key };
}

/** `Bearer <key>`, `Token <key>`, `Basic <key>`, or any other scheme word: the last word is the key. */
export function keyFromAuthorization(header: string | undefined): string | null {
  if (!header) return null;
  const parts = header.trim().split(/\s+/);
  if (parts.length === 0 || parts.length > 2) return null;
  const key = parts[parts.length - 1]!;
  return key === '' ? null : key;
}
