-- PostgreSQL twin of migrations/0006_safety_alerts.sql.
CREATE TABLE safety_alerts (
    message_id  BIGINT PRIMARY KEY,
    guild_id    BIGINT NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL CHECK (kind IN ('crisis', 'talk')),
    created_at  TEXT COLLATE "C" NOT NULL,
    taken_by    BIGINT,
    taken_at    TEXT COLLATE "C",
    resolved_by BIGINT,
    resolved_at TEXT COLLATE "C"
);
CREATE INDEX safety_alerts_by_guild ON safety_alerts (guild_id, created_at);
CREATE INDEX safety_alerts_by_time ON safety_alerts (created_at);
