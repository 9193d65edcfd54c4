-- Insights: counts kept by the database itself, so the insights page never scans the events.
--
-- event_counts: events per project, mode, UTC hour (created_at / 3600000) and category ('' for none).
-- Hourly buckets let the page cut days at the viewer's UTC offset. event_name_counts: events per
-- project, mode, UTC day (created_at / 86400000) and name ('' for none), for the busiest names.
-- category_counts: events per project, mode and category, for the category filter's counts (read
-- instead of counting every event on each call). All three are kept by the triggers below, on every insert and delete of an event (a deleted event, or a
-- deleted project's events, leave the counts as if they had never been), and filled here from the
-- events already stored.
CREATE TABLE event_counts (
  project_id INTEGER NOT NULL,
  test INTEGER NOT NULL,
  hour INTEGER NOT NULL,
  category TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (project_id, test, hour, category)
) WITHOUT ROWID;

CREATE TABLE event_name_counts (
  project_id INTEGER NOT NULL,
  test INTEGER NOT NULL,
  day INTEGER NOT NULL,
  name TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (project_id, test, day, name)
) WITHOUT ROWID;

CREATE TABLE category_counts (
  project_id INTEGER NOT NULL,
  test INTEGER NOT NULL,
  category TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (project_id, test, category)
) WITHOUT ROWID;

INSERT INTO event_counts (project_id, test, hour, category, count)
  SELECT project_id, test, created_at / 3600000, COALESCE(category, ''), COUNT(*) FROM events GROUP BY 1, 2, 3, 4;
INSERT INTO event_name_counts (project_id, test, day, name, count)
  SELECT project_id, test, created_at / 86400000, COALESCE(name, ''), COUNT(*) FROM events GROUP BY 1, 2, 3, 4;
INSERT INTO category_counts (project_id, test, category, count)
  SELECT project_id, test, category, COUNT(*) FROM events WHERE category IS NOT NULL GROUP BY 1, 2, 3;

-- One trigger program per insert and per delete: each program run costs on every insert.
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

-- Pushes per project and UTC hour: the push worker counts each message to a device when the push
-- service took it (sent) or when it gave up on it (failed). Deliveries themselves are deleted once
-- settled, so this is their only record. A deleted event's pushes stay counted: they went out.
CREATE TABLE push_counts (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  hour INTEGER NOT NULL,
  sent INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  PRIMARY KEY (project_id, hour)
);

-- Presses by outcome over a range are read from the attempts themselves (people press by hand: a few
-- per event at most), by when they started; the index holds what the count reads.
CREATE INDEX action_attempts_started ON action_attempts(started_at, event_seq, outcome);
