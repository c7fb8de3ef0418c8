-- What articles claim: figures, dated statements, entity mentions, and the
-- bounds on when an article can have been written.
ALTER TABLE articles ADD COLUMN bound_earliest TEXT;
ALTER TABLE articles ADD COLUMN bound_latest TEXT;

CREATE TABLE figures (
    article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    value         REAL NOT NULL,
    low           REAL,
    high          REAL,
    qualifier     TEXT NOT NULL DEFAULT '',
    unit          TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL DEFAULT '',
    subject       TEXT NOT NULL DEFAULT '',
    attributed_to TEXT NOT NULL DEFAULT '',
    sentence      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE statements (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    body       TEXT NOT NULL,
    expr       TEXT NOT NULL,
    value      TEXT NOT NULL,
    earliest   TEXT,
    latest     TEXT,
    anchor     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE mentions (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity     TEXT NOT NULL,
    type       TEXT NOT NULL DEFAULT '',
    name       TEXT NOT NULL,
    canonical  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, entity, name)
);
CREATE INDEX mentions_entity ON mentions (entity);
