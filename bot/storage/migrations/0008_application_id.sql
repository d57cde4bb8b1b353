-- Mark the file as Lantern's (SQLite's application_id, "LANT"), so Lantern can refuse another
-- program's database instead of adding its tables to it.
PRAGMA application_id = 1279348308;
