-- As SQLite's 006: projects, members, invites, the audit log and notification preferences; what
-- existed moves into the project `default` (id 1).
CREATE TABLE projects (
  id BIGSERIAL PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  webhook_secret TEXT,
  created_at BIGINT NOT NULL
);
INSERT INTO projects (id, slug, name, webhook_secret, created_at)
  VALUES (1, 'default', 'Default', (SELECT value FROM settings WHERE key = 'webhook_secret'), (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT);
SELECT setval(pg_get_serial_sequence('projects', 'id'), 1);
DELETE FROM settings WHERE key = 'webhook_secret';

ALTER TABLE users ADD COLUMN name TEXT NOT NULL DEFAULT '';

CREATE TABLE project_members (
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'member', 'admin')),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_user ON project_members(user_id);
INSERT INTO project_members (project_id, user_id, role, created_at) SELECT 1, id, 'member', created_at FROM users WHERE role <> 'owner';

ALTER TABLE events ADD COLUMN project_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN handled_at BIGINT;
ALTER TABLE events ADD COLUMN handled_by_email TEXT;
DROP INDEX events_top;
CREATE INDEX events_top ON events(project_id, test, created_at DESC, seq DESC) WHERE parent_seq IS NULL;
DROP INDEX events_category;
CREATE INDEX events_category ON events(project_id, test, category, created_at DESC, seq DESC) WHERE category IS NOT NULL;
DROP INDEX events_context;
CREATE INDEX events_context ON events(project_id, test, context_id, context_start, seq) WHERE context_id IS NOT NULL;

ALTER TABLE api_keys ADD COLUMN project_id BIGINT NOT NULL DEFAULT 1;
CREATE INDEX api_keys_project ON api_keys(project_id);

ALTER TABLE actions ADD COLUMN role TEXT;

CREATE TABLE invites (
  id TEXT PRIMARY KEY,
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'member', 'admin')),
  token_hash TEXT NOT NULL UNIQUE,
  created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  used_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  revoked_at BIGINT
);
CREATE INDEX invites_project ON invites(project_id, created_at);

CREATE TABLE audit_log (
  id BIGSERIAL PRIMARY KEY,
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  at BIGINT NOT NULL,
  actor_id TEXT,
  actor_email TEXT NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT,
  detail TEXT
);
CREATE INDEX audit_project ON audit_log(project_id, id);

CREATE TABLE notification_prefs (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  enabled BOOLEAN NOT NULL,
  muted TEXT NOT NULL,
  PRIMARY KEY (user_id, project_id)
);
