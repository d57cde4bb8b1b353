-- PostgreSQL twin of migrations/0007_safety_insights.sql.
CREATE TABLE safety_insights (
    guild_id BIGINT NOT NULL,
    day      TEXT COLLATE "C" NOT NULL,
    kind     TEXT COLLATE "C" NOT NULL CHECK (kind IN ('hurt', 'pursuit', 'crisis', 'member')),
    outcome  TEXT COLLATE "C" NOT NULL,
    count    INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (guild_id, day, kind, outcome)
);
CREATE INDEX safety_insights_by_day ON safety_insights (day);
