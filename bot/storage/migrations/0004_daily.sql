-- Daily prompt subscriptions: one per member. next_due_utc is a fixed-width UTC ISO string so it
-- sorts as text; the partial index serves "what is due now" without reading every row.
CREATE TABLE daily_subscriptions (
    user_id              INTEGER PRIMARY KEY,
    local_time           TEXT    NOT NULL,  -- HH:MM in the member's zone
    timezone             TEXT    NOT NULL,  -- IANA name
    theme                TEXT,              -- NULL: any theme
    next_due_utc         TEXT    NOT NULL,
    last_local_date      TEXT,              -- local date of the last claimed delivery
    dm_channel_id        INTEGER,           -- the member's DM channel, so a send is one request
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    paused_reason        TEXT,              -- NULL while active
    retry_due_utc        TEXT               -- the original due instant while a send is retried
);
CREATE INDEX daily_subscriptions_due ON daily_subscriptions (next_due_utc) WHERE paused_reason IS NULL;
