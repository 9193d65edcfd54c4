-- What a press requires (§10). An action's risk (low/high/critical: the sender's, or high for a
-- danger button) and the sender's sentence for the confirm dialog.
ALTER TABLE actions ADD COLUMN risk TEXT NOT NULL DEFAULT 'low';
ALTER TABLE actions ADD COLUMN confirm_text TEXT;
UPDATE actions SET risk = 'high' WHERE emphasis = 'danger';
-- A project's policy: one JSON document (per-risk rules and the freeze); no row = the defaults.
CREATE TABLE project_policies (
  project_id BIGINT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  document TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT
);
-- When the session's person last proved who they are (signing in counts): the step-up window.
ALTER TABLE sessions ADD COLUMN proven_at BIGINT;
UPDATE sessions SET proven_at = created_at;
