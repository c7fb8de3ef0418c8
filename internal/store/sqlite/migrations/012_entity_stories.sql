-- An entity's stories, by how many of their articles name it and then by
-- latest development, read in index order: ordering ties of n by the
-- story view's latest sorted every story naming the entity on each read
-- (an entity named by every story cost more as the archive grew).
DROP INDEX story_facets_rank;
CREATE INDEX story_facets_rank ON story_facets (kind, value, n DESC, latest DESC, story DESC);
