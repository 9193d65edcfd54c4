-- As SQLite's 007: a `delete` live-log entry names the event that is gone (id and project).
ALTER TABLE live_log ADD COLUMN event_id TEXT;
ALTER TABLE live_log ADD COLUMN project_id BIGINT;
