-- Languages (CONTRACT §14). users.locale: the language the person chose in Settings → Account
-- (NULL: their browser's). push_subscriptions.locale: the language the device's app shows, for the
-- fixed words of its pushes (NULL: a subscription saved before languages, or by the service worker
-- alone: English).
ALTER TABLE users ADD COLUMN locale TEXT;
ALTER TABLE push_subscriptions ADD COLUMN locale TEXT;
