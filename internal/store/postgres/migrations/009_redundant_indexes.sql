-- An index that a longer one begins with: every query that used it can use
-- figures_source_entity_article (source_entity, article_id, idx), and it
-- cost an index insert per figure stored.
DROP INDEX IF EXISTS figures_source_entity;
