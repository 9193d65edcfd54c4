-- Events per project, mode and category, kept by triggers: the category filter's counts
-- (GET /api/projects/:slug/categories) are read from here instead of counting every event on each call.
CREATE TABLE category_counts (
  project_id BIGINT NOT NULL,
  test BOOLEAN NOT NULL,
  category TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (project_id, test, category)
);

INSERT INTO category_counts (project_id, test, category, count)
  SELECT project_id, test, category, COUNT(*) FROM events WHERE category IS NOT NULL GROUP BY 1, 2, 3;

-- In key order, so two statements counting the same categories lock them in the same order.
CREATE FUNCTION events_category_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO category_counts (project_id, test, category, count)
    SELECT project_id, test, category, COUNT(*) FROM inserted WHERE category IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (project_id, test, category) DO UPDATE SET count = category_counts.count + excluded.count;
  RETURN NULL;
END $$;

-- Triggers fire in name order, so this one runs before events_uncounted: it takes the live-log append
-- lock first itself (see 008), before any counter row, as ingest does.
CREATE FUNCTION events_category_uncounted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM deleted) THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(1527860737);
  UPDATE category_counts c SET count = c.count - d.n
    FROM (SELECT project_id, test, category, COUNT(*) AS n FROM deleted WHERE category IS NOT NULL GROUP BY 1, 2, 3) d
    WHERE c.project_id = d.project_id AND c.test = d.test AND c.category = d.category;
  DELETE FROM category_counts c USING (SELECT DISTINCT project_id, test, category FROM deleted WHERE category IS NOT NULL) d
    WHERE c.project_id = d.project_id AND c.test = d.test AND c.category = d.category AND c.count <= 0;
  RETURN NULL;
END $$;

CREATE TRIGGER events_category_counted AFTER INSERT ON events REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION events_category_counted();
CREATE TRIGGER events_category_uncounted AFTER DELETE ON events REFERENCING OLD TABLE AS deleted
  FOR EACH STATEMENT EXECUTE FUNCTION events_category_uncounted();
