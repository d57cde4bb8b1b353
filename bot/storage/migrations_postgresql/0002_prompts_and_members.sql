-- PostgreSQL twin of migrations/0002_prompts_and_members.sql. SQLite orders a member's rotation by
-- its implicit rowid; here `rowid` is an identity column, so the same queries read the same order.
CREATE TABLE prompt_rotation (
    rowid     BIGINT GENERATED ALWAYS AS IDENTITY,
    user_id   BIGINT NOT NULL,
    scope     TEXT COLLATE "C" NOT NULL,
    prompt_id TEXT COLLATE "C" NOT NULL,
    UNIQUE (user_id, scope, prompt_id)
);

CREATE TABLE member_settings (
    user_id BIGINT PRIMARY KEY,
    region  TEXT COLLATE "C"
);
