/** Integrations (§13), written once for both engines: each holds one of the project's API keys. */
import { isIntegrationSource } from '../../../contract/integrations.ts';
import type { Sql } from '../sql/db.ts';
import type { IntegrationRow, IntegrationsRepository } from '../types.ts';

export function integrationsRepository({ db }: Sql): IntegrationsRepository {
  const rows = () =>
    db
      .selectFrom('integrations as i')
      .innerJoin('api_keys as k', 'k.id', 'i.api_key_id')
      .leftJoin('users as u', 'u.id', 'i.created_by')
      .select(['i.id', 'i.project_id', 'i.source', 'i.api_key_id', 'i.signing_secret', 'i.created_by', 'i.created_at', 'k.prefix', 'k.last_used_at', 'u.email']);
  type Raw = Awaited<ReturnType<ReturnType<typeof rows>['executeTakeFirstOrThrow']>>;
  const toRow = (r: Raw): IntegrationRow | null =>
    isIntegrationSource(r.source)
      ? {
          id: r.id,
          projectId: Number(r.project_id),
          source: r.source,
          apiKeyId: r.api_key_id,
          signingSecret: r.signing_secret,
          prefix: r.prefix,
          createdAt: Number(r.created_at),
          lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
          createdBy: r.created_by !== null && r.email !== null ? { id: r.created_by, email: r.email } : null,
        }
      : null;
  const one = (r: Raw | undefined) => (r === undefined ? null : toRow(r));
  return {
    async create(row) {
      await db
        .insertInto('integrations')
        .values({ id: row.id, project_id: row.projectId, source: row.source, api_key_id: row.apiKeyId, signing_secret: row.signingSecret, created_by: row.createdBy, created_at: row.at })
        .execute();
    },
    async list(projectId) {
      const found = await rows().where('i.project_id', '=', projectId).orderBy('i.created_at', 'desc').execute();
      return found.flatMap((r) => toRow(r) ?? []);
    },
    async byId(projectId, id) {
      return one(await rows().where('i.project_id', '=', projectId).where('i.id', '=', id).executeTakeFirst());
    },
    async byKey(apiKeyId) {
      return one(await rows().where('i.api_key_id', '=', apiKeyId).executeTakeFirst());
    },
    async setSecret(id, secret) {
      await db.updateTable('integrations').set({ signing_secret: secret }).where('id', '=', id).execute();
    },
    async setKey(id, apiKeyId) {
      await db.updateTable('integrations').set({ api_key_id: apiKeyId }).where('id', '=', id).execute();
    },
    async remove(id) {
      await db.deleteFrom('integrations').where('id', '=', id).execute();
    },
    async count(projectId) {
      const r = await db.selectFrom('integrations').select((eb) => eb.fn.countAll<number>().as('n')).where('project_id', '=', projectId).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
