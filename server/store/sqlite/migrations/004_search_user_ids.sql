-- The search index gains the event's userId (searching `u_77` finds that user's events). The old
-- index is contentless, so it cannot be altered in place: it is made again, and refilled from the
-- events by the code that opens the store (searchableText lives in JS), which then drops the marker.
DROP TABLE events_fts;
CREATE VIRTUAL TABLE events_fts USING fts5(name, body, user_id, content='', tokenize='unicode61 remove_diacritics 2');
CREATE TABLE search_rebuild_pending (one INTEGER PRIMARY KEY CHECK (one = 1));
INSERT INTO search_rebuild_pending VALUES (1);
