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
