CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'member',
  created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  api_key_id TEXT,
  name TEXT,
  avatar TEXT,
  type TEXT NOT NULL,
  content TEXT,
  category TEXT,
  notify INTEGER NOT NULL,
  test INTEGER NOT NULL,
  context_id TEXT,
  context_start INTEGER NOT NULL,
  user_id TEXT,
  parent_seq INTEGER REFERENCES events(seq),
  thread_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX events_top ON events(test, created_at DESC, seq DESC) WHERE parent_seq IS NULL;
CREATE INDEX events_category ON events(test, category, created_at DESC, seq DESC) WHERE category IS NOT NULL;
CREATE INDEX events_thread ON events(parent_seq, created_at, seq);
CREATE INDEX events_context ON events(test, context_id, context_start, seq) WHERE context_id IS NOT NULL;

CREATE TABLE actions (
  event_seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
  key TEXT NOT NULL,
  position INTEGER NOT NULL,
  button_text TEXT NOT NULL,
  url TEXT NOT NULL,
  external INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  meta TEXT,
  repeat INTEGER NOT NULL,
  emphasis TEXT,
  PRIMARY KEY (event_seq, key)
);

CREATE TABLE idempotency (
  api_key_id TEXT NOT NULL,
  key TEXT NOT NULL,
  response TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (api_key_id, key)
);
CREATE INDEX idempotency_age ON idempotency(created_at);

-- The live channel's log: one row per change an open PWA must see, in order. Its seq is the SSE id.
CREATE TABLE live_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  event_seq INTEGER NOT NULL,
  test INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);

-- Full-text index over name, text, JSON values and row contents; rowid = events.seq.
CREATE VIRTUAL TABLE events_fts USING fts5(name, body, content='', tokenize='unicode61 remove_diacritics 2');
