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

-- One trigger program per insert and per delete (the ones of 008, now counting categories too): a
-- separate trigger would cost its own program run on every insert.
DROP TRIGGER events_counted;
DROP TRIGGER events_uncounted;

CREATE TRIGGER events_counted AFTER INSERT ON events BEGIN
  INSERT INTO event_counts (project_id, test, hour, category, count)
    VALUES (NEW.project_id, NEW.test, NEW.created_at / 3600000, COALESCE(NEW.category, ''), 1)
    ON CONFLICT (project_id, test, hour, category) DO UPDATE SET count = count + 1;
  INSERT INTO event_name_counts (project_id, test, day, name, count)
    VALUES (NEW.project_id, NEW.test, NEW.created_at / 86400000, COALESCE(NEW.name, ''), 1)
    ON CONFLICT (project_id, test, day, name) DO UPDATE SET count = count + 1;
  INSERT INTO category_counts (project_id, test, category, count)
    SELECT NEW.project_id, NEW.test, NEW.category, 1 WHERE NEW.category IS NOT NULL
    ON CONFLICT (project_id, test, category) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER events_uncounted AFTER DELETE ON events BEGIN
  UPDATE event_counts SET count = count - 1
    WHERE project_id = OLD.project_id AND test = OLD.test AND hour = OLD.created_at / 3600000 AND category = COALESCE(OLD.category, '');
  DELETE FROM event_counts
    WHERE project_id = OLD.project_id AND test = OLD.test AND hour = OLD.created_at / 3600000 AND category = COALESCE(OLD.category, '') AND count <= 0;
  UPDATE event_name_counts SET count = count - 1
    WHERE project_id = OLD.project_id AND test = OLD.test AND day = OLD.created_at / 86400000 AND name = COALESCE(OLD.name, '');
  DELETE FROM event_name_counts
    WHERE project_id = OLD.project_id AND test = OLD.test AND day = OLD.created_at / 86400000 AND name = COALESCE(OLD.name, '') AND count <= 0;
  UPDATE category_counts SET count = count - 1 WHERE project_id = OLD.project_id AND test = OLD.test AND category = OLD.category;
  DELETE FROM category_counts WHERE project_id = OLD.project_id AND test = OLD.test AND category = OLD.category AND count <= 0;
END;
