-- Each story's list facets (languages, outlets, days) in one row
-- (store.EncodeCoverage's format: "c", then kind US value US n RS for
-- each), so that a page of the story list reads one row per story instead
-- of one per day and outlet. A table of its own, not a column of
-- story_views: a column after the view's data would be read by walking the
-- data's overflow pages. No row: readers use story_facets.
CREATE TABLE story_coverage (
    story    INTEGER PRIMARY KEY,
    coverage TEXT NOT NULL
);
INSERT INTO story_coverage (story, coverage)
    SELECT v.story, 'c' || COALESCE((
        SELECT group_concat(kind || char(31) || value || char(31) || n || char(30), '')
        FROM story_facets f WHERE f.story = v.story AND f.kind IN ('lang', 'outlet', 'day')), '')
    FROM story_views v
    WHERE NOT EXISTS (SELECT 1 FROM story_facets f WHERE f.story = v.story AND f.kind IN ('lang', 'outlet', 'day')
        AND (instr(f.value, char(30)) > 0 OR instr(f.value, char(31)) > 0));

-- Every name of each entity with how many articles use it, and how many
-- articles mention the entity, kept as mentions are stored and removed, so
-- that an entity's page reads its aliases, not every one of its mentions.
-- A name's type and canonical name are those of its latest mention stored
-- (a reanalysis brings every one up to date).
CREATE TABLE entity_names (
    entity    TEXT NOT NULL,
    name      TEXT NOT NULL,
    type      TEXT NOT NULL,
    canonical TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (entity, name)
);
INSERT INTO entity_names (entity, name, type, canonical, n)
    SELECT entity, name, MIN(type), MIN(canonical), COUNT(*) FROM mentions GROUP BY entity, name;
CREATE TABLE entity_counts (
    entity   TEXT PRIMARY KEY,
    articles INTEGER NOT NULL
);
INSERT INTO entity_counts (entity, articles) SELECT entity, COUNT(DISTINCT article_id) FROM mentions GROUP BY entity;
CREATE TRIGGER mentions_count_insert AFTER INSERT ON mentions BEGIN
    INSERT INTO entity_names (entity, name, type, canonical, n) VALUES (NEW.entity, NEW.name, NEW.type, NEW.canonical, 1)
        ON CONFLICT (entity, name) DO UPDATE SET n = n + 1, type = excluded.type, canonical = excluded.canonical;
    INSERT INTO entity_counts (entity, articles)
        SELECT NEW.entity, 1 WHERE NOT EXISTS (SELECT 1 FROM mentions
            WHERE article_id = NEW.article_id AND entity = NEW.entity AND name <> NEW.name)
        ON CONFLICT (entity) DO UPDATE SET articles = articles + 1;
END;
CREATE TRIGGER mentions_count_delete AFTER DELETE ON mentions BEGIN
    UPDATE entity_names SET n = n - 1 WHERE entity = OLD.entity AND name = OLD.name;
    DELETE FROM entity_names WHERE entity = OLD.entity AND name = OLD.name AND n <= 0;
    UPDATE entity_counts SET articles = articles - 1 WHERE entity = OLD.entity
        AND NOT EXISTS (SELECT 1 FROM mentions WHERE article_id = OLD.article_id AND entity = OLD.entity);
    DELETE FROM entity_counts WHERE entity = OLD.entity AND articles <= 0;
END;

-- An entity's stories by how many of their articles name it, and the
-- figures it is the source of by article, read in index order (LIMIT stops
-- the scan) instead of sorted per request.
CREATE INDEX story_facets_rank ON story_facets (kind, value, n DESC, story);
CREATE INDEX figures_source_entity_article ON figures (source_entity, article_id DESC, idx DESC);

-- The story list filtered by a language, outlet or entity is read from the
-- facets in the list's order (latest development, then story), so that
-- LIMIT stops the scan: each facet row carries its story's latest.
ALTER TABLE story_facets ADD COLUMN latest TEXT;
UPDATE story_facets SET latest = (SELECT v.latest FROM story_views v WHERE v.story = story_facets.story);
CREATE INDEX story_facets_latest ON story_facets (kind, value, latest DESC, story DESC);
