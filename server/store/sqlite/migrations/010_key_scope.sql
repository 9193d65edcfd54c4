-- An API key's scope: `ingest` (send events, the default) or `read` (send events and read them
-- through /api/v1/events, for scripts).
ALTER TABLE api_keys ADD COLUMN scope TEXT NOT NULL DEFAULT 'ingest' CHECK (scope IN ('ingest', 'read'));
