/** Each project's press policy (§10), written once for both engines: one JSON document per project. */
import type { Sql } from '../sql/db.ts';
import type { PoliciesRepository } from '../types.ts';

export function policiesRepository({ db }: Sql): PoliciesRepository {
  return {
    get: (projectId) => db.selectFrom('project_policies').select(['document', 'updated_at', 'updated_by']).where('project_id', '=', projectId).executeTakeFirst(),
    async put(projectId, document, at, by) {
      await db
        .insertInto('project_policies')
        .values({ project_id: projectId, document, updated_at: at, updated_by: by })
        .onConflict((c) => c.column('project_id').doUpdateSet({ document, updated_at: at, updated_by: by }))
        .execute();
    },
  };
}
