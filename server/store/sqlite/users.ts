/** Users and their sign-in sessions. */
import { randomUUID } from 'node:crypto';
import type { Db } from './db.ts';
import type { UserRow } from '../records.ts';


export function usersRepository(db: Db) {
  const insert = db.prepare(
    'INSERT INTO users (id, email, password_hash, role, created_at, name) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const setPassword = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
  const setName = db.prepare('UPDATE users SET name = ? WHERE id = ?');
  const setRole = db.prepare('UPDATE users SET role = ? WHERE id = ?');
  const owners = db.prepare("SELECT COUNT(*) AS n FROM users WHERE role = 'owner'");
  const setEmail = db.prepare('UPDATE users SET email = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM users WHERE email = ? AND id <> ?)');
  const byEmail = db.prepare('SELECT * FROM users WHERE email = ?');
  const byId = db.prepare('SELECT * FROM users WHERE id = ?');
  const count = db.prepare('SELECT COUNT(*) AS n FROM users');
  return {
    create(email: string, passwordHash: string, role: UserRow['role'], now: number, name = ''): UserRow {
      const id = randomUUID();
      insert.run(id, email, passwordHash, role, now, name);
      return byId.get(id) as UserRow;
    },
    setPassword: (id: string, passwordHash: string) => void setPassword.run(passwordHash, id),
    setName: (id: string, name: string) => void setName.run(name, id),
    /** Makes someone an owner of the installation, or a plain account again. */
    setRole: (id: string, role: UserRow['role']) => setRole.run(role, id).changes > 0,
    ownerCount: () => (owners.get() as { n: number }).n,
    /** false when another account has this email. */
    setEmail: (id: string, email: string) => setEmail.run(email, id, email, id).changes > 0,
    byEmail: (email: string) => byEmail.get(email) as UserRow | undefined,
    byId: (id: string) => byId.get(id) as UserRow | undefined,
    count: () => (count.get() as { n: number }).n,
    /**
     * Held until the transaction ends, so that counting owners and changing one is one step. SQLite:
     * nothing to do (a transaction is BEGIN IMMEDIATE: it runs alone).
     */
    lockOwners: () => undefined,
  };
}

export function sessionsRepository(db: Db) {
  const insert = db.prepare(
    'INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)',
  );
  const find = db.prepare(`SELECT s.token_hash, s.expires_at, s.last_seen_at, u.id AS user_id, u.email, u.name, u.role
    FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`);
  const touch = db.prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?');
  const remove = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
  const purge = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  const removeOthers = db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?');
  const trim = db.prepare(`DELETE FROM sessions WHERE user_id = @userId AND token_hash <> @newest AND token_hash NOT IN
    (SELECT token_hash FROM sessions WHERE user_id = @userId AND token_hash <> @newest ORDER BY created_at DESC, token_hash LIMIT @keep - 1)`);
  return {
    create: (tokenHash: string, userId: string, now: number, expiresAt: number) =>
      void insert.run(tokenHash, userId, now, expiresAt, now),
    find: (tokenHash: string, now: number) =>
      find.get(tokenHash, now) as
        | { token_hash: string; expires_at: number; last_seen_at: number; user_id: string; email: string; name: string; role: UserRow['role'] }
        | undefined,
    touch: (tokenHash: string, now: number, expiresAt: number) => void touch.run(now, expiresAt, tokenHash),
    remove: (tokenHash: string) => void remove.run(tokenHash),
    purgeExpired: (now: number) => purge.run(now).changes,
    /** Ends every session of a person but one (`keep`; null: all of them). */
    removeOthers: (userId: string, keep: string | null) => removeOthers.run(userId, keep ?? '').changes,
    /** Keeps a person's `keep` newest sessions (`newest`, just made, among them) and ends the older ones; returns how many ended. */
    trim: (userId: string, newest: string, keep: number) => trim.run({ userId, newest, keep }).changes,
  };
}
