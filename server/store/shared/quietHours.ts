/** A person's quiet hours (§12), written once for both engines. */
import { hhmmOf, minuteOf } from '../../../contract/quietHours.ts';
import type { Sql } from '../sql/db.ts';
import type { QuietHoursRepository } from '../types.ts';

export function quietHoursRepository({ db }: Sql): QuietHoursRepository {
  return {
    async get(userId) {
      const row = await db.selectFrom('quiet_hours').selectAll().where('user_id', '=', userId).executeTakeFirst();
      return row ? { from: hhmmOf(row.from_minute), to: hhmmOf(row.to_minute), timeZone: row.time_zone } : null;
    },
    async put(userId, hours, at) {
      if (hours === null) {
        await db.deleteFrom('quiet_hours').where('user_id', '=', userId).execute();
        return;
      }
      const values = { from_minute: minuteOf(hours.from), to_minute: minuteOf(hours.to), time_zone: hours.timeZone, updated_at: at };
      await db
        .insertInto('quiet_hours')
        .values({ user_id: userId, ...values })
        .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
        .execute();
    },
  };
}
