-- Tools for a member's own healing (#17). Member ids, instants, dates, numbers and feeling ids only:
-- nothing a member writes or types is ever stored here. Every row is the member's own (they use these
-- tools by DM or privately); /privacy delete removes them, and ended rows are purged after a year.

-- /pause: when a member paused before reaching out, and whether the urge passed (1), was still
-- strong (0) or was never answered (NULL). Not what they felt, and not what they wrote.
CREATE TABLE pauses (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    started_at TEXT    NOT NULL,  -- UTC, fixed-width ISO 8601
    passed     INTEGER CHECK (passed IN (0, 1))
);
CREATE INDEX pauses_by_member ON pauses (user_id, started_at);

-- "Check on me in 20 minutes": a DM due for one pause. Claimed (deleted) just before it is sent.
CREATE TABLE pause_checkins (
    pause_id INTEGER PRIMARY KEY REFERENCES pauses (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL,
    due_utc  TEXT    NOT NULL
);
CREATE INDEX pause_checkins_due ON pause_checkins (due_utc);

-- /nocontact: stretches of days a member chose not to reach out, as local dates. One is open
-- (ended_on NULL) while they count; earlier ones stay for their own chart.
CREATE TABLE no_contact_runs (
    user_id    INTEGER NOT NULL,
    started_on TEXT    NOT NULL,            -- day 0, the member's local date
    ended_on   TEXT,                        -- the last day counted; NULL while counting
    timezone   TEXT,                        -- a zone given to /nocontact start (NULL: their daily-DM zone, else UTC)
    milestone  INTEGER NOT NULL DEFAULT 0,  -- the largest milestone (in days) already shown to them
    PRIMARY KEY (user_id, started_on)
) WITHOUT ROWID;
CREATE UNIQUE INDEX no_contact_runs_open ON no_contact_runs (user_id) WHERE ended_on IS NULL;

-- /checkin: a mood from 1 to 5 and up to three feeling ids from data/healing.toml.
CREATE TABLE checkins (
    id       INTEGER PRIMARY KEY,
    user_id  INTEGER NOT NULL,
    at_utc   TEXT    NOT NULL,
    mood     INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 5),
    feelings TEXT    NOT NULL DEFAULT ''  -- comma-separated feeling ids, e.g. "anxious,lonely"
);
CREATE INDEX checkins_by_member ON checkins (user_id, at_utc);
