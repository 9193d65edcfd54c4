-- Which devices got an event's push (written when the push service took it), so that once an action
-- ran or the event was handled, those devices — and only those — get a notice that replaces it
-- (CONTRACT §15). Goes with the event and with the device.
CREATE TABLE push_sent (
  event_seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
  subscription_id TEXT NOT NULL REFERENCES push_subscriptions(id) ON DELETE CASCADE,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (event_seq, subscription_id)
);
CREATE INDEX push_sent_subscription ON push_sent(subscription_id);

-- An event push with a notice (`action:<key>`: that action ran; `handled`) replaces the one its
-- devices got; NULL: the event's own push.
ALTER TABLE push_outbox ADD COLUMN notice TEXT;
ALTER TABLE push_deliveries ADD COLUMN notice TEXT;
