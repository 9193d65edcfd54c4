-- Events per project, mode and category, kept by triggers: the category filter's counts
-- (GET /api/projects/:slug/categories) are read from here instead of counting every event on each call.
CREATE TABLE category_counts (
  project_id INTEGER NOT NULL,
  test INTEGER NOT NULL,
  category TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (project_id, test, category)
) WITHOUT ROWID;

INSERT INTO category_counts (project_id, test, category, count)
  SELECT project_id, test, category, COUNT(*) FROM events WHERE category IS NOT NULL GROUP BY 1, 2, 3;

CREATE TRIGGER events_category_counted AFTER INSERT ON events WHEN NEW.category IS NOT NULL BEGIN
  INSERT INTO category_counts (project_id, test, category, count) VALUES (NEW.project_id, NEW.test, NEW.category, 1)
    ON CONFLICT (project_id, test, category) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER events_category_uncounted AFTER DELETE ON events WHEN OLD.category IS NOT NULL BEGIN
  UPDATE category_counts SET count = count - 1 WHERE project_id = OLD.project_id AND test = OLD.test AND category = OLD.category;
  DELETE FROM category_counts WHERE project_id = OLD.project_id AND test = OLD.test AND category = OLD.category AND count <= 0;
END;
