-- A press that must wait (§10): for approvals by others, then for its delay. While it waits the
-- action's state is `awaiting_approval` or `scheduled` (so no other press starts it); the request
-- row remembers the state to go back to when it ends without being sent.
CREATE TABLE press_requests (
  id TEXT PRIMARY KEY,
  event_seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
  action_key TEXT NOT NULL,
  project_id INTEGER NOT NULL,
  -- awaiting_approval → scheduled → sent, or ended: cancelled, denied, approval_expired, expired.
  status TEXT NOT NULL,
  risk TEXT NOT NULL,
  needed INTEGER NOT NULL,
  -- Who approved, in order: a JSON list of {id, email, at}, kept beside the unique rows that count.
  approved_by TEXT NOT NULL DEFAULT '[]',
  requested_by TEXT NOT NULL,
  requested_email TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  -- Silence is never a yes: unanswered by then, the request expires.
  expires_at INTEGER NOT NULL,
  delay_seconds INTEGER NOT NULL,
  runs_at INTEGER,
  -- The webhook's id, made when the press is asked for: a send, whichever instance makes it, uses it.
  webhook_id TEXT NOT NULL,
  prior_state TEXT NOT NULL,
  ended_by TEXT,
  ended_email TEXT,
  ended_at INTEGER,
  reason TEXT
);
CREATE INDEX press_requests_action ON press_requests (event_seq, action_key, requested_at);
CREATE INDEX press_requests_waiting ON press_requests (status, runs_at, expires_at) WHERE status IN ('awaiting_approval', 'scheduled');
-- One row per approver: a second approval by the same person is refused by the key, and the count is
-- of these rows, read under the request's lock.
CREATE TABLE press_approvals (
  request_id TEXT NOT NULL REFERENCES press_requests(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  email TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (request_id, user_id)
);
-- The action's newest request, which the event's page shows.
ALTER TABLE actions ADD COLUMN request_id TEXT;
