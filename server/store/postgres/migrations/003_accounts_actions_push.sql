-- The rest of SQLite's schema (its migrations 001–003), column for column: accounts, keys, settings,
-- actions and their attempts, idempotency, push. Booleans are BOOLEAN here (0/1 INTEGER in SQLite);
-- times are epoch milliseconds in both. test/postgres-schema.test.ts keeps the two in step.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'member',
  created_at BIGINT NOT NULL
);
-- SQLite's COLLATE NOCASE: one account per email, whatever its case.
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE actions (
  event_seq BIGINT NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
  key TEXT NOT NULL,
  position INTEGER NOT NULL,
  button_text TEXT NOT NULL,
  url TEXT NOT NULL,
  external BOOLEAN NOT NULL,
  expires_at BIGINT NOT NULL,
  meta TEXT,
  repeat BOOLEAN NOT NULL,
  emphasis TEXT,
  state TEXT NOT NULL DEFAULT 'idle',
  attempts INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (event_seq, key)
);

CREATE TABLE action_attempts (
  id TEXT PRIMARY KEY,
  event_seq BIGINT NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
  action_key TEXT NOT NULL,
  number INTEGER NOT NULL,
  pressed_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  pressed_by_email TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  duration_ms INTEGER,
  outcome TEXT,
  status_code INTEGER,
  reason TEXT,
  response_excerpt TEXT,
  UNIQUE (event_seq, action_key, number)
);

CREATE TABLE idempotency (
  api_key_id TEXT NOT NULL,
  key TEXT NOT NULL,
  response TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (api_key_id, key)
);
CREATE INDEX idempotency_age ON idempotency(created_at);

CREATE TABLE push_subscriptions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  endpoint TEXT NOT NULL UNIQUE,
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  device_name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX push_subscriptions_user ON push_subscriptions(user_id);

CREATE TABLE push_outbox (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('event', 'test')),
  event_seq BIGINT REFERENCES events(seq) ON DELETE CASCADE,
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL
);

CREATE TABLE push_deliveries (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('event', 'test')),
  event_seq BIGINT REFERENCES events(seq) ON DELETE CASCADE,
  subscription_id TEXT NOT NULL REFERENCES push_subscriptions(id) ON DELETE CASCADE,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX push_deliveries_due ON push_deliveries(next_attempt_at);
CREATE INDEX push_deliveries_subscription ON push_deliveries(subscription_id);
