-- What Lantern did about safety, counted per server and UTC day for moderators' insights:
-- counts only, no member id, no message id, no text. Kept 90 days.
CREATE TABLE safety_insights (
    guild_id INTEGER NOT NULL,
    day      TEXT    NOT NULL,  -- YYYY-MM-DD, UTC
    kind     TEXT    NOT NULL CHECK (kind IN ('hurt', 'pursuit', 'crisis', 'member')),
    outcome  TEXT    NOT NULL,  -- reply, dm, quiet:cooldown, …; for kind 'member': opt_out, not_about_that
    count    INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (guild_id, day, kind, outcome)
) WITHOUT ROWID;
CREATE INDEX safety_insights_by_day ON safety_insights (day);
