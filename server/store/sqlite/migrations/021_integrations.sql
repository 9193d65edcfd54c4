-- Integrations (§13): a URL per source whose token is one of the project's API keys (revoked with
-- it). GitHub's and Stripe's signing secrets are kept as given: the server computes the signature.
CREATE TABLE integrations (
  id TEXT PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  api_key_id TEXT NOT NULL UNIQUE REFERENCES api_keys(id),
  signing_secret TEXT,
  created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX integrations_project ON integrations (project_id, created_at);
