-- Pages: one row per distinct (key, body) read. The body itself is not kept.
CREATE TABLE pages (
    id        INTEGER PRIMARY KEY,
    key       TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    origin    TEXT NOT NULL DEFAULT '',
    file      TEXT NOT NULL DEFAULT '',
    ext_id    TEXT NOT NULL DEFAULT '',
    url       TEXT NOT NULL DEFAULT '',
    captured  TEXT,
    format    TEXT NOT NULL DEFAULT '',
    added     TEXT NOT NULL,
    UNIQUE (key, body_hash)
);

-- Articles: canonical articles; duplicates are folded into one row.
CREATE TABLE articles (
    id                 INTEGER PRIMARY KEY,
    hash               TEXT NOT NULL,
    title              TEXT NOT NULL DEFAULT '',
    body               TEXT NOT NULL,
    byline             TEXT NOT NULL DEFAULT '',
    credits            TEXT NOT NULL DEFAULT '[]',
    site               TEXT NOT NULL DEFAULT '',
    language           TEXT NOT NULL DEFAULT '',
    published_earliest TEXT,
    published_latest   TEXT,
    published_basis    TEXT NOT NULL DEFAULT '',
    added              TEXT NOT NULL
);
CREATE INDEX articles_hash ON articles (hash);

-- Where each article was seen: one row per article found in a page.
CREATE TABLE article_sources (
    page_id    INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    title      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (page_id, idx)
);
CREATE INDEX article_sources_article ON article_sources (article_id);

-- MinHash LSH band keys for near-duplicate candidates.
CREATE TABLE article_bands (
    band       INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX article_bands_band ON article_bands (band);

CREATE TABLE failures (
    input TEXT NOT NULL,
    error TEXT NOT NULL,
    at    TEXT NOT NULL,
    PRIMARY KEY (input, error)
);

CREATE TABLE feed_state (
    url           TEXT PRIMARY KEY,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    checked       TEXT NOT NULL
);
