-- PostgreSQL twin of migrations/0003_safety.sql.
CREATE TABLE safety_cooldowns (
    guild_id      BIGINT NOT NULL,
    user_id       BIGINT NOT NULL,
    family        TEXT COLLATE "C" NOT NULL CHECK (family IN ('hurt', 'pursuit', 'crisis')),
    last_reply_at TEXT COLLATE "C" NOT NULL,  -- ISO 8601, UTC
    PRIMARY KEY (guild_id, user_id, family)
);
CREATE INDEX safety_cooldowns_by_time ON safety_cooldowns (last_reply_at);

CREATE TABLE safety_opt_outs (
    user_id      BIGINT PRIMARY KEY,
    opted_out_at TEXT COLLATE "C" NOT NULL
);
