-- Working an event together (§12). An event's state is read from two marks: resolved while
-- handled_at is set (the column the "handled" mark has always used: handled is resolved), else
-- acknowledged while acked_at is set, else open. Each mark is set by a guarded UPDATE.
ALTER TABLE events ADD COLUMN acked_at INTEGER;
ALTER TABLE events ADD COLUMN acked_by_email TEXT;
ALTER TABLE events ADD COLUMN assignee_id TEXT;
-- Until then the event is out of the default view; the sweep then brings it back and pushes it again.
ALTER TABLE events ADD COLUMN snoozed_until INTEGER;
ALTER TABLE events ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;
-- Deduplication: while an event with the key is unresolved, a new one updates it in place.
ALTER TABLE events ADD COLUMN dedup_key TEXT;
ALTER TABLE events ADD COLUMN seen_count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN last_seen_at INTEGER;
-- Escalation: set once, by whichever instance's sweep escalates it first.
ALTER TABLE events ADD COLUMN escalated_at INTEGER;
-- At most one unresolved event per key in a project: concurrent duplicates on several instances
-- cannot make two.
CREATE UNIQUE INDEX events_dedup ON events (project_id, test, dedup_key) WHERE dedup_key IS NOT NULL AND handled_at IS NULL;
CREATE INDEX events_assignee ON events (project_id, assignee_id) WHERE assignee_id IS NOT NULL;
CREATE INDEX events_snoozed ON events (snoozed_until) WHERE snoozed_until IS NOT NULL;
-- An action whose success resolves its event.
ALTER TABLE actions ADD COLUMN resolves INTEGER NOT NULL DEFAULT 0;
-- An event's timeline: its changes of state, assignee and snooze, and its notes.
CREATE TABLE event_activity (
  id TEXT PRIMARY KEY,
  event_seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  by_id TEXT,
  by_email TEXT NOT NULL,
  by_name TEXT NOT NULL DEFAULT '',
  at INTEGER NOT NULL,
  -- A note's text.
  text TEXT,
  -- JSON: {"assignee": {id, email, name}} or {"until": ms}.
  detail TEXT
);
CREATE INDEX event_activity_event ON event_activity (event_seq, at, id);
