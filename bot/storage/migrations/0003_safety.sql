-- When Lantern last answered a member for a label family, so it does not repeat itself.
-- guild_id is 0 for direct messages. No message text or message id is stored.
CREATE TABLE safety_cooldowns (
    guild_id      INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    family        TEXT    NOT NULL CHECK (family IN ('hurt', 'pursuit', 'crisis')),
    last_reply_at TEXT    NOT NULL,  -- ISO 8601, UTC
    PRIMARY KEY (guild_id, user_id, family)
) WITHOUT ROWID;
CREATE INDEX safety_cooldowns_by_time ON safety_cooldowns (last_reply_at);

-- Members who pressed "Don't reply to me". Crisis alerts to moderators still happen.
CREATE TABLE safety_opt_outs (
    user_id       INTEGER PRIMARY KEY,
    opted_out_at  TEXT    NOT NULL
) WITHOUT ROWID;
