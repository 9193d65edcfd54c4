-- Projects, teammates and roles. Everything that existed moves into the project `default` (id 1):
-- its events, API keys and the webhook secret; every account that is not the owner becomes a
-- `member` of it (what it could do before), and the owner stays owner (admin of every project).
CREATE TABLE projects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  webhook_secret TEXT,
  created_at INTEGER NOT NULL
);
INSERT INTO projects (id, slug, name, webhook_secret, created_at)
  VALUES (1, 'default', 'Default', (SELECT value FROM settings WHERE key = 'webhook_secret'), CAST(unixepoch('subsec') * 1000 AS INTEGER));
DELETE FROM settings WHERE key = 'webhook_secret';

ALTER TABLE users ADD COLUMN name TEXT NOT NULL DEFAULT '';

CREATE TABLE project_members (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'member', 'admin')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_user ON project_members(user_id);
INSERT INTO project_members (project_id, user_id, role, created_at) SELECT 1, id, 'member', created_at FROM users WHERE role <> 'owner';

-- (SQLite cannot add a column with a REFERENCES clause and a default: deleting a project deletes its events.)
ALTER TABLE events ADD COLUMN project_id INTEGER NOT NULL DEFAULT 1;
-- Who marked the event handled, and when (NULL: nobody yet).
ALTER TABLE events ADD COLUMN handled_at INTEGER;
ALTER TABLE events ADD COLUMN handled_by_email TEXT;
DROP INDEX events_top;
CREATE INDEX events_top ON events(project_id, test, created_at DESC, seq DESC) WHERE parent_seq IS NULL;
DROP INDEX events_category;
CREATE INDEX events_category ON events(project_id, test, category, created_at DESC, seq DESC) WHERE category IS NOT NULL;
DROP INDEX events_context;
CREATE INDEX events_context ON events(project_id, test, context_id, context_start, seq) WHERE context_id IS NOT NULL;

ALTER TABLE api_keys ADD COLUMN project_id INTEGER NOT NULL DEFAULT 1;
CREATE INDEX api_keys_project ON api_keys(project_id);

-- An action sent with "role": "admin" may be pressed by admins only (NULL: every member).
ALTER TABLE actions ADD COLUMN role TEXT;

-- Invite links: the token's hash only; used once, until expires_at, unless revoked.
CREATE TABLE invites (
  id TEXT PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'member', 'admin')),
  token_hash TEXT NOT NULL UNIQUE,
  created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  used_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  revoked_at INTEGER
);
CREATE INDEX invites_project ON invites(project_id, created_at);

-- Append-only: who did what in a project, newest last (id order).
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  actor_id TEXT,
  actor_email TEXT NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT,
  detail TEXT
);
CREATE INDEX audit_project ON audit_log(project_id, id);

-- A person's notifications per project: on by default (no row), and the categories they muted.
CREATE TABLE notification_prefs (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  enabled INTEGER NOT NULL,
  muted TEXT NOT NULL,
  PRIMARY KEY (user_id, project_id)
);
