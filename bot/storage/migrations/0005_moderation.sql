-- A server's own resources, added by its moderators; shown beside Lantern's in that server.
CREATE TABLE guild_resources (
    guild_id    INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    url         TEXT    NOT NULL,
    description TEXT    NOT NULL,
    region      TEXT,              -- NULL: every region
    PRIMARY KEY (guild_id, name)
) WITHOUT ROWID;

-- A server's prompt of the day: posted once per local day in one channel.
CREATE TABLE guild_prompt_channels (
    guild_id        INTEGER PRIMARY KEY,
    channel_id      INTEGER NOT NULL,
    local_time      TEXT    NOT NULL,
    timezone        TEXT    NOT NULL,
    theme           TEXT,
    next_due_utc    TEXT    NOT NULL,
    last_local_date TEXT
);
CREATE INDEX guild_prompt_channels_due ON guild_prompt_channels (next_due_utc);

-- Who changed which setting, from what to what, and when.
CREATE TABLE config_audit (
    id        INTEGER PRIMARY KEY,
    guild_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,   -- 0 once the moderator deleted their data
    setting   TEXT    NOT NULL,
    old_value TEXT,
    new_value TEXT,
    at        TEXT    NOT NULL
);
CREATE INDEX config_audit_by_guild ON config_audit (guild_id, id);
