-- PostgreSQL twin of migrations/0008_application_id.sql. SQLite marks its file with PRAGMA
-- application_id; here the lantern_schema_migrations table is the mark (bot/storage/postgres.py).
-- Nothing to change.
SELECT 1;
