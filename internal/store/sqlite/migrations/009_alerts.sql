-- Alert rules, the alerts they fired, and webhook deliveries. An alert's id
-- is derived from its rule, story, kind and key, so a change that a later
-- refresh finds again is not stored twice.
CREATE TABLE alert_rules (
    id      INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL,
    story   INTEGER NOT NULL DEFAULT 0,
    value   TEXT NOT NULL DEFAULT '',
    entity  TEXT NOT NULL DEFAULT '',
    webhook TEXT NOT NULL DEFAULT '',
    secret  TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
);

CREATE TABLE alerts (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    rule        INTEGER NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
    story       INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    key         TEXT NOT NULL,
    topic       TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL DEFAULT '',
    before      TEXT NOT NULL DEFAULT '',
    after       TEXT NOT NULL DEFAULT '',
    sentence    TEXT NOT NULL DEFAULT '',
    lang        TEXT NOT NULL DEFAULT '',
    site        TEXT NOT NULL DEFAULT '',
    url         TEXT NOT NULL DEFAULT '',
    archive     TEXT NOT NULL DEFAULT '',
    article     INTEGER NOT NULL DEFAULT 0,
    story_title TEXT NOT NULL DEFAULT '',
    at          TEXT,
    created     TEXT NOT NULL
);
CREATE INDEX alerts_rule ON alerts (rule, seq);
CREATE INDEX alerts_story ON alerts (story, seq);

CREATE TABLE alert_deliveries (
    alert      TEXT PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
    rule       INTEGER NOT NULL,
    url        TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    due        INTEGER NOT NULL, -- unix nanoseconds: compares as a number
    last_error TEXT NOT NULL DEFAULT '',
    delivered  TEXT
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (due) WHERE delivered IS NULL;
CREATE INDEX cluster_changes_story ON cluster_changes (level, into_id);
CREATE INDEX cluster_changes_story_from ON cluster_changes (level, from_id);
