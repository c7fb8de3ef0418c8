-- Stored story views: what a reader sees of each story, kept up to date as
-- articles arrive, merge or move, so that reading a story costs time in
-- proportion to that story, never to the archive.
CREATE TABLE story_views (
    story      INTEGER PRIMARY KEY,
    title      TEXT NOT NULL DEFAULT '',
    summary    TEXT NOT NULL DEFAULT '',
    articles   INTEGER NOT NULL DEFAULT 0,
    first      TEXT,
    latest     TEXT,
    updated    TEXT NOT NULL,
    data       BLOB NOT NULL
);
CREATE INDEX story_views_latest ON story_views (latest DESC, story DESC);

-- Facets of each story for filtering the story list.
CREATE TABLE story_facets (
    story INTEGER NOT NULL,
    kind  TEXT NOT NULL, -- lang, outlet, entity
    value TEXT NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (story, kind, value)
);
CREATE INDEX story_facets_value ON story_facets (kind, value, story);

-- Stories whose views must be rebuilt. Marked in the transaction that
-- changes a story's articles, so a crash never loses the mark.
CREATE TABLE dirty_stories (
    story INTEGER PRIMARY KEY
);
INSERT OR IGNORE INTO dirty_stories (story) SELECT DISTINCT story FROM clusters;

-- Full-text search over folded, stemmed terms computed by dossier's own
-- tokenizer (internal/tokenize), the same at index and query time.
CREATE VIRTUAL TABLE search USING fts5 (title, body, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0');

-- Which entity a figure's source names, when it names one.
ALTER TABLE figures ADD COLUMN source_entity TEXT NOT NULL DEFAULT '';
CREATE INDEX figures_kind ON figures (kind);
CREATE INDEX figures_source_entity ON figures (source_entity);
CREATE INDEX mentions_entity_article ON mentions (entity, article_id);
CREATE INDEX cluster_changes_id ON cluster_changes (id);
