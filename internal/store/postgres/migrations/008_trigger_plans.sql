-- The entity-count triggers probe mentions for a few keys per statement.
-- PL/pgSQL keeps the plan of a static statement for the life of the
-- connection, and the plan made while mentions was empty (estimated at 480
-- rows) hashed the whole table: in a 10,000-article run on PostgreSQL,
-- 2,770 sequential scans of mentions read 65 million rows before
-- autovacuum's statistics replaced the plan. EXECUTE plans each call with the
-- table's size at that moment, so the probes go through the primary key
-- (article_id, entity, name) however the table grew. The transition tables
-- (added, removed) are visible to EXECUTE as to static statements. The
-- statements of a removal that join entity_names and entity_counts go the
-- same way, for the same reason.
CREATE OR REPLACE FUNCTION count_mentions_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO entity_names (entity, name, type, canonical, n)
        SELECT entity, name, MAX(type), MAX(canonical), COUNT(*) FROM added GROUP BY entity, name
        ON CONFLICT (entity, name) DO UPDATE SET n = entity_names.n + excluded.n, type = excluded.type, canonical = excluded.canonical;
    EXECUTE $q$
    INSERT INTO entity_counts (entity, articles)
        SELECT a.entity, COUNT(DISTINCT a.article_id) FROM added a
        WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.article_id AND m.entity = a.entity
            AND NOT EXISTS (SELECT 1 FROM added x WHERE x.article_id = m.article_id AND x.entity = m.entity AND x.name = m.name))
        GROUP BY a.entity
        ON CONFLICT (entity) DO UPDATE SET articles = entity_counts.articles + excluded.articles
    $q$;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION count_mentions_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE $q$
    UPDATE entity_names e SET n = e.n - d.c
        FROM (SELECT entity, name, COUNT(*) AS c FROM removed GROUP BY entity, name) d
        WHERE e.entity = d.entity AND e.name = d.name
    $q$;
    EXECUTE $q$
    DELETE FROM entity_names e USING (SELECT DISTINCT entity, name FROM removed) d
        WHERE e.entity = d.entity AND e.name = d.name AND e.n <= 0
    $q$;
    EXECUTE $q$
    UPDATE entity_counts c SET articles = c.articles - d.c
        FROM (SELECT r.entity, COUNT(DISTINCT r.article_id) AS c FROM removed r
            WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = r.article_id AND m.entity = r.entity)
            GROUP BY r.entity) d
        WHERE c.entity = d.entity
    $q$;
    EXECUTE $q$
    DELETE FROM entity_counts c USING (SELECT DISTINCT entity FROM removed) d WHERE c.entity = d.entity AND c.articles <= 0
    $q$;
    RETURN NULL;
END $$;
