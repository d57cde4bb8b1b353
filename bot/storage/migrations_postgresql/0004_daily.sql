-- PostgreSQL twin of migrations/0004_daily.sql. next_due_utc is fixed-width UTC text in byte order,
-- so "due now" is a range scan of the partial index, as on SQLite.
CREATE TABLE daily_subscriptions (
    user_id              BIGINT PRIMARY KEY,
    local_time           TEXT COLLATE "C" NOT NULL,
    timezone             TEXT COLLATE "C" NOT NULL,
    theme                TEXT COLLATE "C",
    next_due_utc         TEXT COLLATE "C" NOT NULL,
    last_local_date      TEXT COLLATE "C",
    dm_channel_id        BIGINT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    paused_reason        TEXT COLLATE "C",
    retry_due_utc        TEXT COLLATE "C"
);
CREATE INDEX daily_subscriptions_due ON daily_subscriptions (next_due_utc) WHERE paused_reason IS NULL;
