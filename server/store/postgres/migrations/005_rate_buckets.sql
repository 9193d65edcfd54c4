-- Rate-limit buckets (ingest per API key, sign-in failures) shared by every instance, so a limit
-- counts across all of them. Written by server/store/postgres/buckets.ts; rows whose bucket is full
-- again (full_at in the past) mean nothing and are deleted by maintenance. PostgreSQL only: a SQLite
-- store has one process, which keeps its buckets in memory.
CREATE TABLE rate_buckets (
  key TEXT PRIMARY KEY,
  tokens DOUBLE PRECISION NOT NULL,
  at BIGINT NOT NULL,
  full_at BIGINT NOT NULL
);
CREATE INDEX rate_buckets_full ON rate_buckets(full_at);
