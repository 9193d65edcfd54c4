-- Password-reset links (before: rows in `settings` that named only the account). One open link per
-- account; who made it and in which project, so that using it can check again that the maker still
-- may; `fingerprint` is the target's state when it was made (password, owner status, memberships):
-- a link made for someone whose password or roles changed since is dead.
CREATE TABLE password_resets (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  created_by TEXT REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  fingerprint TEXT NOT NULL
);
CREATE INDEX password_resets_maker ON password_resets(created_by);
-- Links made before this version carry none of that: they end here.
DELETE FROM settings WHERE key LIKE 'password_reset:%';

-- The client's address (as the server saw it after the TRUST_PROXY rule) of each audited change.
ALTER TABLE audit_log ADD COLUMN address TEXT;
