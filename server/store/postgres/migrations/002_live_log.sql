-- The live channel's log, as in SQLite: one row per change an open app must see, in order; its seq is
-- the SSE id. Appends are serialised (see server/store/postgres/liveLog.ts), so ids commit in order.
CREATE TABLE live_log (
  seq BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL,
  event_seq BIGINT NOT NULL,
  test BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX live_log_test ON live_log(test, seq);
