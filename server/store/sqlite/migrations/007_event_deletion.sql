-- Deleting an event: its live-log entry outlives it, so the entry names the event itself (id and
-- project); set only on `delete` entries (the others read both from the event row).
ALTER TABLE live_log ADD COLUMN event_id TEXT;
ALTER TABLE live_log ADD COLUMN project_id INTEGER;
