-- As SQLite's 005: a running press holds a lease; when it runs out, another instance settles it.
ALTER TABLE actions ADD COLUMN lease_until BIGINT;
