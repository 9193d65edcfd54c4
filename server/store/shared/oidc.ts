/**
 * Single sign-on (OpenID Connect), written once for both engines: the identities accounts are bound
 * to (issuer and subject, never an email), and the sign-ins under way. A sign-in is taken with one
 * DELETE … RETURNING: whoever deletes it has it, so a callback is used once even when two requests
 * bring the same cookie at once.
 */
import type { Sql } from '../sql/db.ts';
import type { OidcLogin, OidcRepository } from '../types.ts';

export function oidcRepository({ db }: Sql): OidcRepository {
  return {
    async userFor(issuer, subject) {
      const row = await db.selectFrom('oidc_identities').select('user_id').where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst();
      return row?.user_id ?? null;
    },
    async link(issuer, subject, userId, at) {
      const result = await db
        .insertInto('oidc_identities')
        .values({ issuer, subject, user_id: userId, created_at: at, last_sign_in_at: at })
        .onConflict((c) => c.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async signedIn(issuer, subject, at) {
      await db.updateTable('oidc_identities').set({ last_sign_in_at: at }).where('issuer', '=', issuer).where('subject', '=', subject).execute();
    },
    async saveLogin(login, now) {
      await db.deleteFrom('oidc_logins').where('expires_at', '<=', now).execute();
      await db
        .insertInto('oidc_logins')
        .values({ id_hash: login.idHash, state: login.state, nonce: login.nonce, code_verifier: login.codeVerifier, return_to: login.returnTo, expires_at: login.expiresAt })
        .execute();
    },
    async takeLogin(idHash, now): Promise<OidcLogin | null> {
      const row = await db.deleteFrom('oidc_logins').where('id_hash', '=', idHash).returningAll().executeTakeFirst();
      if (!row || Number(row.expires_at) <= now) return null;
      return { idHash: row.id_hash, state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, returnTo: row.return_to, expiresAt: Number(row.expires_at) };
    },
  };
}
