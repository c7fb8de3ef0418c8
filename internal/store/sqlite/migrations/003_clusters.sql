-- Stories and events: each canonical article's cluster, the log of merges
-- and splits, and the incremental clusterer's saved state.
CREATE TABLE clusters (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story      INTEGER NOT NULL,
    event      INTEGER NOT NULL
);
CREATE INDEX clusters_story ON clusters (story);
CREATE INDEX clusters_event ON clusters (event);

CREATE TABLE cluster_changes (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL,
    level      TEXT NOT NULL,
    from_id    INTEGER NOT NULL,
    into_id    INTEGER NOT NULL,
    article_id INTEGER,
    score      REAL NOT NULL DEFAULT 0
);

CREATE TABLE cluster_model (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    data         BLOB NOT NULL,
    last_article INTEGER NOT NULL,
    saved        TEXT NOT NULL
);
