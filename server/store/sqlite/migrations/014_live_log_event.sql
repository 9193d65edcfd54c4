-- Deleting an event takes its live-log entries with it (shared/events.ts, remove): found by their event,
-- not by a scan of the log (which holds a day of entries: retention removed them one scan per event).
CREATE INDEX live_log_event ON live_log(event_seq);
