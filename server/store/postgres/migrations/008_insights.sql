-- As SQLite's 008: counts for the insights page, kept by the database itself. Statement triggers
-- with transition tables count a whole statement's events at once (a batch of ingested events, or
-- store:copy's pages, is one upsert per bucket, not one per event).
CREATE TABLE event_counts (
  project_id BIGINT NOT NULL,
  test BOOLEAN NOT NULL,
  hour BIGINT NOT NULL,
  category TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (project_id, test, hour, category)
);

CREATE TABLE event_name_counts (
  project_id BIGINT NOT NULL,
  test BOOLEAN NOT NULL,
  day BIGINT NOT NULL,
  name TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (project_id, test, day, name)
);

-- Events per project, mode and category: the category filter's counts, read instead of counting
-- every event on each call.
CREATE TABLE category_counts (
  project_id BIGINT NOT NULL,
  test BOOLEAN NOT NULL,
  category TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (project_id, test, category)
);

INSERT INTO event_counts (project_id, test, hour, category, count)
  SELECT project_id, test, created_at / 3600000, COALESCE(category, ''), COUNT(*) FROM events GROUP BY 1, 2, 3, 4;
INSERT INTO event_name_counts (project_id, test, day, name, count)
  SELECT project_id, test, created_at / 86400000, COALESCE(name, ''), COUNT(*) FROM events GROUP BY 1, 2, 3, 4;
INSERT INTO category_counts (project_id, test, category, count)
  SELECT project_id, test, category, COUNT(*) FROM events WHERE category IS NOT NULL GROUP BY 1, 2, 3;

-- In key order, so two statements counting the same buckets lock them in the same order.
CREATE FUNCTION events_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO event_counts (project_id, test, hour, category, count)
    SELECT project_id, test, created_at / 3600000, COALESCE(category, ''), COUNT(*) FROM inserted GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (project_id, test, hour, category) DO UPDATE SET count = event_counts.count + excluded.count;
  INSERT INTO event_name_counts (project_id, test, day, name, count)
    SELECT project_id, test, created_at / 86400000, COALESCE(name, ''), COUNT(*) FROM inserted GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (project_id, test, day, name) DO UPDATE SET count = event_name_counts.count + excluded.count;
  INSERT INTO category_counts (project_id, test, category, count)
    SELECT project_id, test, category, COUNT(*) FROM inserted WHERE category IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (project_id, test, category) DO UPDATE SET count = category_counts.count + excluded.count;
  RETURN NULL;
END $$;

CREATE FUNCTION events_uncounted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM deleted) THEN
    RETURN NULL;
  END IF;
  -- The live-log append lock (liveLog.ts, LIVE_LOG_LOCK), which the deleting transaction takes anyway
  -- to announce the deletion: taken before the counters' rows, in the order ingest takes them (lock,
  -- then rows), so a deletion and an ingest never wait for each other in a circle.
  PERFORM pg_advisory_xact_lock(1527860737);
  UPDATE event_counts c SET count = c.count - d.n
    FROM (SELECT project_id, test, created_at / 3600000 AS hour, COALESCE(category, '') AS category, COUNT(*) AS n
          FROM deleted GROUP BY 1, 2, 3, 4) d
    WHERE c.project_id = d.project_id AND c.test = d.test AND c.hour = d.hour AND c.category = d.category;
  DELETE FROM event_counts c USING (SELECT DISTINCT project_id, test, created_at / 3600000 AS hour, COALESCE(category, '') AS category FROM deleted) d
    WHERE c.project_id = d.project_id AND c.test = d.test AND c.hour = d.hour AND c.category = d.category AND c.count <= 0;
  UPDATE event_name_counts c SET count = c.count - d.n
    FROM (SELECT project_id, test, created_at / 86400000 AS day, COALESCE(name, '') AS name, COUNT(*) AS n
          FROM deleted GROUP BY 1, 2, 3, 4) d
    WHERE c.project_id = d.project_id AND c.test = d.test AND c.day = d.day AND c.name = d.name;
  DELETE FROM event_name_counts c USING (SELECT DISTINCT project_id, test, created_at / 86400000 AS day, COALESCE(name, '') AS name FROM deleted) d
    WHERE c.project_id = d.project_id AND c.test = d.test AND c.day = d.day AND c.name = d.name AND c.count <= 0;
  UPDATE category_counts c SET count = c.count - d.n
    FROM (SELECT project_id, test, category, COUNT(*) AS n FROM deleted WHERE category IS NOT NULL GROUP BY 1, 2, 3) d
    WHERE c.project_id = d.project_id AND c.test = d.test AND c.category = d.category;
  DELETE FROM category_counts c USING (SELECT DISTINCT project_id, test, category FROM deleted WHERE category IS NOT NULL) d
    WHERE c.project_id = d.project_id AND c.test = d.test AND c.category = d.category AND c.count <= 0;
  RETURN NULL;
END $$;

CREATE TRIGGER events_counted AFTER INSERT ON events REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION events_counted();
CREATE TRIGGER events_uncounted AFTER DELETE ON events REFERENCING OLD TABLE AS deleted
  FOR EACH STATEMENT EXECUTE FUNCTION events_uncounted();

CREATE TABLE push_counts (
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  hour BIGINT NOT NULL,
  sent BIGINT NOT NULL,
  failed BIGINT NOT NULL,
  PRIMARY KEY (project_id, hour)
);

CREATE INDEX action_attempts_started ON action_attempts(started_at, event_seq, outcome);
