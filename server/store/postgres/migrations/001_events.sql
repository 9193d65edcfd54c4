-- PostgreSQL store, first migration: the events table as SQLite's 001 has it, with the search index
-- in the row (a tsvector built by server/store/postgres/search.ts, so both stores cut words alike)
-- and a GIN index over it. Times are epoch milliseconds, as in SQLite.
CREATE TABLE events (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  api_key_id TEXT,
  name TEXT,
  avatar TEXT,
  type TEXT NOT NULL,
  content TEXT,
  category TEXT,
  notify BOOLEAN NOT NULL,
  test BOOLEAN NOT NULL,
  context_id TEXT,
  context_start BOOLEAN NOT NULL,
  user_id TEXT,
  parent_seq BIGINT REFERENCES events(seq),
  thread_count INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  search TSVECTOR NOT NULL
);
CREATE INDEX events_top ON events(test, created_at DESC, seq DESC) WHERE parent_seq IS NULL;
CREATE INDEX events_category ON events(test, category, created_at DESC, seq DESC) WHERE category IS NOT NULL;
CREATE INDEX events_thread ON events(parent_seq, created_at, seq);
CREATE INDEX events_context ON events(test, context_id, context_start, seq) WHERE context_id IS NOT NULL;
CREATE INDEX events_search ON events USING GIN (search);
