-- Escalation (§12): the sweep looks for pushed, top-level events still open past their project's
-- time that were not escalated yet — a short walk of this index, whatever the history.
CREATE INDEX events_unescalated ON events (project_id, created_at) WHERE escalated_at IS NULL AND handled_at IS NULL AND acked_at IS NULL AND parent_seq IS NULL AND notify = TRUE AND test = FALSE;
-- A person's quiet hours (§12): pushes wait until they end, except urgent events and escalations.
-- From and to are minutes after local midnight in the person's time zone (an IANA name).
CREATE TABLE quiet_hours (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  from_minute INTEGER NOT NULL,
  to_minute INTEGER NOT NULL,
  time_zone TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
