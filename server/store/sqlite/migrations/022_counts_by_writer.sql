-- The insights counts of new events (event_counts, event_name_counts, category_counts: migration 008)
-- are added by the event writer (sqlite/events.ts), one upsert per distinct bucket of a write, instead
-- of by this per-row trigger. With any INSERT trigger on events, SQLite journals each insert
-- statement's pages so that the statement can be undone alone (the foreign keys that reference events
-- make it able to fail halfway): an event's insert statement took 18–22 µs with it, 5–6 µs without,
-- and HTTP ingest ran about a quarter faster without it. Deletions are still counted by
-- events_uncounted; PostgreSQL keeps its triggers.
DROP TRIGGER events_counted;
