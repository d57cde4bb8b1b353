-- Crisis alerts (and members' requests to talk to a moderator) and the responder workflow on them:
-- who took each and who resolved it, and when. Ids and times only: the alert's words live in
-- Discord, never here, and nothing identifies the member it is about. Kept 90 days.
CREATE TABLE safety_alerts (
    message_id  INTEGER PRIMARY KEY,  -- the alert's own message in the alert channel
    guild_id    INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('crisis', 'talk')),
    created_at  TEXT    NOT NULL,     -- ISO 8601, UTC
    taken_by    INTEGER,              -- a moderator's id; 0 once they deleted their data
    taken_at    TEXT,
    resolved_by INTEGER,              -- likewise
    resolved_at TEXT
) WITHOUT ROWID;
CREATE INDEX safety_alerts_by_guild ON safety_alerts (guild_id, created_at);
CREATE INDEX safety_alerts_by_time ON safety_alerts (created_at);
