-- The open events of a project: top-level (a thread's opener or a lone event) and not handled, newest
-- first per project and mode. Only open events are in it, so the project switcher's counts and the
-- feed's "unhandled" view never walk a history of handled events.
CREATE INDEX events_open ON events(project_id, test, created_at DESC, seq DESC) WHERE parent_seq IS NULL AND handled_at IS NULL;
