-- Single sign-on (OpenID Connect): an account made by a sign-in through the provider is bound to the
-- provider's issuer and the person's subject there (never to an email), one identity per account.
CREATE TABLE oidc_identities (
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  user_id TEXT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  last_sign_in_at BIGINT NOT NULL,
  PRIMARY KEY (issuer, subject)
);
-- A sign-in on its way through the provider: its state, nonce and PKCE verifier, kept here and found
-- by the hash of the short-lived cookie the browser carries; taken once (DELETE … RETURNING) by the
-- callback, and forgotten after 10 minutes. Not copied by store:copy (as passkey challenges are not).
CREATE TABLE oidc_logins (
  id_hash TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  return_to TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX oidc_logins_expiry ON oidc_logins(expires_at);
