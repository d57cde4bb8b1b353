-- Per-server settings as key/value pairs; defaults live in code (bot/storage/guild_settings.py),
-- so a row exists only for a value a moderator changed.
CREATE TABLE guild_settings (
    guild_id INTEGER NOT NULL,
    key      TEXT    NOT NULL,
    value    TEXT    NOT NULL,  -- JSON
    PRIMARY KEY (guild_id, key)
) WITHOUT ROWID;
