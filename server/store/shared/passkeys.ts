/**
 * Passkeys (WebAuthn, §10) and the one-time challenges of their ceremonies, written once for both
 * engines. A challenge is taken with one DELETE … RETURNING: whoever deletes it has it, so it serves
 * one ceremony even when two requests bring it at once (on PostgreSQL the second waits for the first
 * delete and then finds nothing). A use moves the counter with a compare-and-set update.
 */
import { changed, type Sql } from '../sql/db.ts';
import type { PasskeyChallengesTable, PasskeysTable } from '../sql/schema.ts';
import type { PasskeyChallenge, PasskeyRow, PasskeysRepository } from '../types.ts';

const toRow = (r: PasskeysTable): PasskeyRow => ({
  id: r.id,
  user_id: r.user_id,
  // A Buffer from either driver: a plain Uint8Array over its own bytes.
  public_key: new Uint8Array(r.public_key),
  counter: Number(r.counter),
  transports: r.transports === '' ? [] : r.transports.split(','),
  name: r.name,
  created_at: Number(r.created_at),
  last_used_at: r.last_used_at === null ? null : Number(r.last_used_at),
});

const toChallenge = (r: PasskeyChallengesTable): PasskeyChallenge => ({
  challenge: r.challenge,
  purpose: r.purpose,
  userId: r.user_id,
  sessionHash: r.session_hash,
  expiresAt: Number(r.expires_at),
});

export function passkeysRepository({ db }: Sql): PasskeysRepository {
  return {
    async add(row) {
      const result = await db
        .insertInto('passkeys')
        .values({
          id: row.id,
          user_id: row.user_id,
          public_key: Buffer.from(row.public_key),
          counter: row.counter,
          transports: row.transports.join(','),
          name: row.name,
          created_at: row.created_at,
          last_used_at: null,
        })
        .onConflict((c) => c.column('id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async list(userId) {
      const rows = await db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
      return rows.map(toRow);
    },
    async count(userId) {
      const row = await db.selectFrom('passkeys').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async byId(id) {
      const row = await db.selectFrom('passkeys').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRow(row) : undefined;
    },
    async rename(userId, id, name) {
      return changed(await db.updateTable('passkeys').set({ name }).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()) > 0;
    },
    async remove(userId, id) {
      const row = await db.deleteFrom('passkeys').where('id', '=', id).where('user_id', '=', userId).returning('name').executeTakeFirst();
      return row?.name ?? null;
    },
    async used(id, from, to, at) {
      const result = await db.updateTable('passkeys').set({ counter: to, last_used_at: at }).where('id', '=', id).where('counter', '=', from).executeTakeFirst();
      return changed(result) > 0;
    },
    async saveChallenge(c, now) {
      await db.deleteFrom('passkey_challenges').where('expires_at', '<=', now).execute();
      await db
        .insertInto('passkey_challenges')
        .values({ challenge: c.challenge, purpose: c.purpose, user_id: c.userId, session_hash: c.sessionHash, expires_at: c.expiresAt })
        .execute();
    },
    async takeChallenge(challenge, purpose, now) {
      const row = await db.deleteFrom('passkey_challenges').where('challenge', '=', challenge).returningAll().executeTakeFirst();
      // Taken whatever it was: a challenge brought for the wrong ceremony, or too late, is spent too.
      if (!row || row.purpose !== purpose || Number(row.expires_at) <= now) return null;
      return toChallenge(row);
    },
  };
}
