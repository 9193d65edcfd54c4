-- Decisions that the sender reads back (§11). A reply action records an answer instead of calling a
-- URL; the reply actions of an event are one question, decided once on the event's row by a guarded
-- UPDATE (… WHERE decision_key IS NULL), so two answers on two instances cannot both win.
ALTER TABLE actions ADD COLUMN reply INTEGER NOT NULL DEFAULT 0;
-- {label, required, maxLength} as JSON: a text field in the confirm step.
ALTER TABLE actions ADD COLUMN input TEXT;
ALTER TABLE action_attempts ADD COLUMN input TEXT;
-- A press that waits keeps what was typed until it is sent.
ALTER TABLE press_requests ADD COLUMN input TEXT;
ALTER TABLE events ADD COLUMN reply_url TEXT;
ALTER TABLE events ADD COLUMN decision_key TEXT;
ALTER TABLE events ADD COLUMN decision_input TEXT;
ALTER TABLE events ADD COLUMN decided_by TEXT;
ALTER TABLE events ADD COLUMN decided_email TEXT;
ALTER TABLE events ADD COLUMN decided_name TEXT;
ALTER TABLE events ADD COLUMN decided_at INTEGER;
-- The questions whose answer is still owed to a replyUrl: the sweep that notices expiry reads only these.
CREATE INDEX events_open_questions ON events (seq) WHERE reply_url IS NOT NULL AND decision_key IS NULL;
-- The decision POSTed to an event's replyUrl: one row per event, claimed under a lease, retried with
-- backoff for a day (pending → delivered, or gave_up).
CREATE TABLE reply_deliveries (
  event_seq INTEGER PRIMARY KEY REFERENCES events(seq) ON DELETE CASCADE,
  project_id INTEGER NOT NULL,
  webhook_id TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_at INTEGER,
  last_status INTEGER,
  last_reason TEXT,
  last_duration_ms INTEGER
);
CREATE INDEX reply_deliveries_due ON reply_deliveries (next_attempt_at) WHERE status = 'pending';
