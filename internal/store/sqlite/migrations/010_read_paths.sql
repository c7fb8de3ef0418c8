-- Each story's list facets (languages, outlets, days) kept in its view's
-- row (store.EncodeCoverage's format: "c", then kind US value US n RS for
-- each), so that a page of the story list reads one row per story instead
-- of one per day and outlet. '' means not kept: readers use story_facets.
ALTER TABLE story_views ADD COLUMN coverage TEXT NOT NULL DEFAULT '';
UPDATE story_views SET coverage = 'c' || COALESCE((
    SELECT group_concat(kind || char(31) || value || char(31) || n || char(30), '')
    FROM story_facets f WHERE f.story = story_views.story AND f.kind IN ('lang', 'outlet', 'day')), '')
WHERE NOT EXISTS (SELECT 1 FROM story_facets f WHERE f.story = story_views.story AND f.kind IN ('lang', 'outlet', 'day')
    AND (instr(f.value, char(30)) > 0 OR instr(f.value, char(31)) > 0));
