-- Followed sources with their schedule and state.
CREATE TABLE subscriptions (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    added         TEXT NOT NULL,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    body_hash     TEXT NOT NULL DEFAULT '',
    last_check    TEXT,
    last_new      TEXT,
    next_check    TEXT NOT NULL,
    interval_s    INTEGER NOT NULL DEFAULT 0,
    errors        INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    items_seen    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX subscriptions_next ON subscriptions (next_check);

-- Pages the subscriptions listed, and whether they were fetched.
CREATE TABLE watch_items (
    id          INTEGER PRIMARY KEY,
    sub_id      INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    url         TEXT NOT NULL,
    guid        TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    published   TEXT,
    fingerprint TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL,
    recheck     INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_try    TEXT NOT NULL,
    last_error  TEXT NOT NULL DEFAULT '',
    seen        TEXT NOT NULL,
    fetched     TEXT,
    UNIQUE (sub_id, url)
);
CREATE INDEX watch_items_due ON watch_items (state, next_try);

-- Where each fetched response is archived (a WARC record).
CREATE TABLE captures (
    id        INTEGER PRIMARY KEY,
    url       TEXT NOT NULL,
    page_key  TEXT NOT NULL DEFAULT '',
    body_hash TEXT NOT NULL DEFAULT '',
    file      TEXT NOT NULL,
    offset    INTEGER NOT NULL,
    length    INTEGER NOT NULL,
    captured  TEXT NOT NULL,
    status    INTEGER NOT NULL
);
CREATE INDEX captures_page ON captures (page_key, body_hash);

-- Later versions of articles whose page changed (version 1 is the
-- original), and the figures that changed with each.
CREATE TABLE article_versions (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    page_key   TEXT NOT NULL,
    body_hash  TEXT NOT NULL,
    captured   TEXT,
    title      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, version)
);
CREATE TABLE figure_changes (
    article_id INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    idx        INTEGER NOT NULL,
    quantity   TEXT NOT NULL,
    old_text   TEXT NOT NULL DEFAULT '',
    new_text   TEXT NOT NULL DEFAULT '',
    old_value  REAL NOT NULL DEFAULT 0,
    new_value  REAL NOT NULL DEFAULT 0,
    sentence   TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL,
    PRIMARY KEY (article_id, version, idx),
    FOREIGN KEY (article_id, version) REFERENCES article_versions (article_id, version) ON DELETE CASCADE
);
