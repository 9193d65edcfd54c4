-- SQLite's migration 022 moved its insert-counting trigger into its event writer (a trigger there
-- makes every insert statement journal its pages). PostgreSQL keeps its triggers (migration 008):
-- nothing changes here; the number keeps both stores' migrations in step.
SELECT 1;
