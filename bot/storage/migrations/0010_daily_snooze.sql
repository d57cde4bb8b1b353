-- /daily snooze days: and the optional check-in reminder inside the daily DM (#17).
ALTER TABLE daily_subscriptions ADD COLUMN snoozed_until TEXT;  -- local date prompts resume on; NULL: not snoozed
ALTER TABLE daily_subscriptions ADD COLUMN checkin_reminder INTEGER NOT NULL DEFAULT 0;  -- 1: a "Check in" button in the DM
