-- PostgreSQL twin of migrations/0001_guild_settings.sql (each SQLite migration has one, same number
-- and name; tests/unit/test_migrations.py checks). Text is compared in byte order (COLLATE "C"),
-- as SQLite does, so both back ends sort and compare alike; ids are BIGINT (Discord snowflakes).
CREATE TABLE guild_settings (
    guild_id BIGINT NOT NULL,
    key      TEXT COLLATE "C" NOT NULL,
    value    TEXT NOT NULL,  -- JSON
    PRIMARY KEY (guild_id, key)
);
