-- PostgreSQL twin of migrations/0010_daily_snooze.sql.
ALTER TABLE daily_subscriptions ADD COLUMN snoozed_until TEXT COLLATE "C";
ALTER TABLE daily_subscriptions ADD COLUMN checkin_reminder INTEGER NOT NULL DEFAULT 0;
