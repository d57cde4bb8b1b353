-- Which prompts a member has seen in the current rotation cycle of a scope (a theme id, or '*'
-- for all themes). Only the current cycle is kept; starting a new cycle deletes the old rows.
-- No prompt text and no message text is stored.
CREATE TABLE prompt_rotation (
    user_id   INTEGER NOT NULL,
    scope     TEXT    NOT NULL,
    prompt_id TEXT    NOT NULL,
    UNIQUE (user_id, scope, prompt_id)
);

-- A member's own choices that outlive a single command (their saved resource region).
CREATE TABLE member_settings (
    user_id INTEGER PRIMARY KEY,
    region  TEXT
) WITHOUT ROWID;
