-- The feed filtered to one user (`?user=<id>`, the link on an event's userId): newest first per project and mode.
CREATE INDEX events_user ON events(project_id, test, user_id, created_at DESC, seq DESC) WHERE user_id IS NOT NULL;
