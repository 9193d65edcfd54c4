-- Passkeys (WebAuthn, §10): a person's credentials, and the one-time challenges of the ceremonies.
-- A credential's id is the authenticator's (base64url), unique across every account.
CREATE TABLE passkeys (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  -- The COSE public key, as the authenticator gave it.
  public_key BYTEA NOT NULL,
  -- The signature counter last seen (0: the authenticator keeps none, as synced passkeys do).
  counter BIGINT NOT NULL DEFAULT 0,
  -- How the browser may reach it (usb, nfc, ble, hybrid, internal), comma-separated.
  transports TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT
);
CREATE INDEX passkeys_user ON passkeys(user_id, created_at);
-- Each challenge is used once (taken with DELETE … RETURNING) and lives a few minutes. Adding a passkey
-- and confirming it's you bind it to the session that asked; signing in has no session yet.
CREATE TABLE passkey_challenges (
  challenge TEXT PRIMARY KEY,
  purpose TEXT NOT NULL CHECK (purpose IN ('register', 'sign_in', 'step_up')),
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  session_hash TEXT,
  expires_at BIGINT NOT NULL
);
CREATE INDEX passkey_challenges_expiry ON passkey_challenges(expires_at);
