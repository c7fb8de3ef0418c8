-- Two indexes that longer ones begin with: every query that used them can
-- use mentions_entity_article (entity, article_id) and
-- figures_source_entity_article (source_entity, article_id, idx), and each
-- cost a B-tree insert per mention and per figure stored.
DROP INDEX IF EXISTS mentions_entity;
DROP INDEX IF EXISTS figures_source_entity;
