-- Push notifications: the devices people subscribed, and an outbox that survives a crash.
--
-- A browser's push subscription. The endpoint is unique: one browser profile has one per origin,
-- so a second sign-in on the same browser takes the row over instead of duplicating it.
CREATE TABLE push_subscriptions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  endpoint TEXT NOT NULL UNIQUE,
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  device_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX push_subscriptions_user ON push_subscriptions(user_id);

-- Written in the same transaction as the event (or the test request), so a crash right after the
-- commit loses nothing. Kept tiny on the ingest path: the worker later expands each row into one
-- delivery per device. user_id NULL: every device; set: only that user's devices (test pushes).
CREATE TABLE push_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('event', 'test')),
  event_seq INTEGER REFERENCES events(seq) ON DELETE CASCADE,
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
);

-- One message to one device. Deleted once delivered or given up; next_attempt_at doubles as a lease
-- while a send is in flight, so a crashed send is retried once the lease runs out.
CREATE TABLE push_deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('event', 'test')),
  event_seq INTEGER REFERENCES events(seq) ON DELETE CASCADE,
  subscription_id TEXT NOT NULL REFERENCES push_subscriptions(id) ON DELETE CASCADE,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX push_deliveries_due ON push_deliveries(next_attempt_at);
CREATE INDEX push_deliveries_subscription ON push_deliveries(subscription_id);
