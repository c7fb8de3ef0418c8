-- The changes recorded with each article: a clustering model that lost its
-- last save replays the merges of the articles after it
-- (ClusterChangesAfter) without reading the whole log.
CREATE INDEX cluster_changes_article ON cluster_changes (article_id);
