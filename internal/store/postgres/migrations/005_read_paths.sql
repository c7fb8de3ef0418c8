-- Each story's list facets (languages, outlets, days) kept in its view's
-- row (store.EncodeCoverage's format: 'c', then kind US value US n RS for
-- each), so that a page of the story list reads one row per story instead
-- of one per day and outlet. '' means not kept: readers use story_facets.
ALTER TABLE story_views ADD COLUMN coverage text NOT NULL DEFAULT '';
UPDATE story_views v SET coverage = 'c' || COALESCE((
    SELECT string_agg(kind || chr(31) || value || chr(31) || n::text || chr(30), '')
    FROM story_facets f WHERE f.story = v.story AND f.kind IN ('lang', 'outlet', 'day')), '')
WHERE NOT EXISTS (SELECT 1 FROM story_facets f WHERE f.story = v.story AND f.kind IN ('lang', 'outlet', 'day')
    AND (strpos(f.value, chr(30)) > 0 OR strpos(f.value, chr(31)) > 0));

-- A counter that every write of what the reads show moves, in the writing
-- transaction: the store's stamp (store.Reader.Stamp), the key of the
-- server's caches of encoded answers.
CREATE TABLE data_stamp (n bigint NOT NULL);
INSERT INTO data_stamp (n) VALUES (1);
CREATE FUNCTION bump_data_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_stamp SET n = n + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER pages_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pages FOR EACH STATEMENT EXECUTE FUNCTION bump_data_stamp();
CREATE TRIGGER articles_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON articles FOR EACH STATEMENT EXECUTE FUNCTION bump_data_stamp();
CREATE TRIGGER article_sources_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON article_sources FOR EACH STATEMENT EXECUTE FUNCTION bump_data_stamp();
CREATE TRIGGER figures_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON figures FOR EACH STATEMENT EXECUTE FUNCTION bump_data_stamp();
CREATE TRIGGER statements_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON statements FOR EACH STATEMENT EXECUTE FUNCTION bump_data_stamp();
CREATE TRIGGER mentions_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON mentions FOR EACH STATEMENT EXECUTE FUNCTION bump_data_stamp();
CREATE TRIGGER clusters_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON clusters FOR EACH STATEMENT EXECUTE FUNCTION bump_data_stamp();
CREATE TRIGGER cluster_changes_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cluster_changes FOR EACH STATEMENT EXECUTE FUNCTION bump_data_stamp();
CREATE TRIGGER story_views_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON story_views FOR EACH STATEMENT EXECUTE FUNCTION bump_data_stamp();
CREATE TRIGGER story_facets_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON story_facets FOR EACH STATEMENT EXECUTE FUNCTION bump_data_stamp();
CREATE TRIGGER search_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON search FOR EACH STATEMENT EXECUTE FUNCTION bump_data_stamp();
CREATE TRIGGER outlet_counts_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON outlet_counts FOR EACH STATEMENT EXECUTE FUNCTION bump_data_stamp();

-- Every name of each entity with how many articles use it, and how many
-- articles mention the entity, kept as mentions are stored and removed, so
-- that an entity's page reads its aliases, not every one of its mentions.
-- A name's type and canonical name are those of its latest mention stored
-- (a reanalysis brings every one up to date).
CREATE TABLE entity_names (
    entity    text NOT NULL,
    name      text NOT NULL,
    type      text NOT NULL,
    canonical text NOT NULL,
    n         bigint NOT NULL,
    PRIMARY KEY (entity, name)
);
INSERT INTO entity_names (entity, name, type, canonical, n)
    SELECT entity, name, MIN(type), MIN(canonical), COUNT(*) FROM mentions GROUP BY entity, name;
CREATE TABLE entity_counts (
    entity   text PRIMARY KEY,
    articles bigint NOT NULL
);
INSERT INTO entity_counts (entity, articles) SELECT entity, COUNT(DISTINCT article_id) FROM mentions GROUP BY entity;
-- Statement triggers with transition tables: a statement that removes
-- several mentions of one article (a reanalysis) counts the article once.
CREATE FUNCTION count_mentions_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO entity_names (entity, name, type, canonical, n)
        SELECT entity, name, MAX(type), MAX(canonical), COUNT(*) FROM added GROUP BY entity, name
        ON CONFLICT (entity, name) DO UPDATE SET n = entity_names.n + excluded.n, type = excluded.type, canonical = excluded.canonical;
    INSERT INTO entity_counts (entity, articles)
        SELECT a.entity, COUNT(DISTINCT a.article_id) FROM added a
        WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.article_id AND m.entity = a.entity
            AND NOT EXISTS (SELECT 1 FROM added x WHERE x.article_id = m.article_id AND x.entity = m.entity AND x.name = m.name))
        GROUP BY a.entity
        ON CONFLICT (entity) DO UPDATE SET articles = entity_counts.articles + excluded.articles;
    RETURN NULL;
END $$;
CREATE FUNCTION count_mentions_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE entity_names e SET n = e.n - d.c
        FROM (SELECT entity, name, COUNT(*) AS c FROM removed GROUP BY entity, name) d
        WHERE e.entity = d.entity AND e.name = d.name;
    DELETE FROM entity_names e USING (SELECT DISTINCT entity, name FROM removed) d
        WHERE e.entity = d.entity AND e.name = d.name AND e.n <= 0;
    UPDATE entity_counts c SET articles = c.articles - d.c
        FROM (SELECT r.entity, COUNT(DISTINCT r.article_id) AS c FROM removed r
            WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = r.article_id AND m.entity = r.entity)
            GROUP BY r.entity) d
        WHERE c.entity = d.entity;
    DELETE FROM entity_counts c USING (SELECT DISTINCT entity FROM removed) d WHERE c.entity = d.entity AND c.articles <= 0;
    RETURN NULL;
END $$;
CREATE TRIGGER mentions_added AFTER INSERT ON mentions REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION count_mentions_added();
CREATE TRIGGER mentions_removed AFTER DELETE ON mentions REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION count_mentions_removed();

-- An entity's stories by how many of their articles name it, and the
-- figures it is the source of by article, read in index order (LIMIT stops
-- the scan) instead of sorted per request.
CREATE INDEX story_facets_rank ON story_facets (kind, value, n DESC, story);
CREATE INDEX figures_source_entity_article ON figures (source_entity, article_id DESC, idx DESC);

-- The story list filtered by a language, outlet or entity is read from the
-- facets in the list's order (latest development, then story), so that
-- LIMIT stops the scan: each facet row carries its story's latest.
ALTER TABLE story_facets ADD COLUMN latest timestamptz;
UPDATE story_facets f SET latest = v.latest FROM story_views v WHERE v.story = f.story;
CREATE INDEX story_facets_latest ON story_facets (kind, value, latest DESC NULLS LAST, story DESC);
