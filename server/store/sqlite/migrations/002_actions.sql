-- Webhook actions get a state machine and a history of attempts.
-- state: idle (never pressed), running, succeeded, failed. It changes only through one guarded
-- UPDATE, so two presses can never both start a request.
ALTER TABLE actions ADD COLUMN state TEXT NOT NULL DEFAULT 'idle';
ALTER TABLE actions ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;

CREATE TABLE action_attempts (
  id TEXT PRIMARY KEY,
  event_seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
  action_key TEXT NOT NULL,
  number INTEGER NOT NULL,
  pressed_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  pressed_by_email TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  duration_ms INTEGER,
  outcome TEXT,
  status_code INTEGER,
  reason TEXT,
  response_excerpt TEXT,
  UNIQUE (event_seq, action_key, number)
);
