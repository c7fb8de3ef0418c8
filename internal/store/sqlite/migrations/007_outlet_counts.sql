-- Articles per outlet and language, kept up to date as articles are
-- inserted, so that the outlet list never counts the archive.
CREATE TABLE outlet_counts (
    site     TEXT NOT NULL,
    language TEXT NOT NULL,
    n        INTEGER NOT NULL,
    first    TEXT NOT NULL,
    last     TEXT NOT NULL,
    PRIMARY KEY (site, language)
);
INSERT INTO outlet_counts (site, language, n, first, last)
    SELECT site, language, COUNT(*), MIN(COALESCE(published_latest, added)), MAX(COALESCE(published_latest, added))
    FROM articles GROUP BY site, language;
CREATE TRIGGER articles_outlet_count AFTER INSERT ON articles BEGIN
    INSERT INTO outlet_counts (site, language, n, first, last)
    VALUES (NEW.site, NEW.language, 1, COALESCE(NEW.published_latest, NEW.added), COALESCE(NEW.published_latest, NEW.added))
    ON CONFLICT (site, language) DO UPDATE SET n = n + 1,
        first = MIN(first, excluded.first), last = MAX(last, excluded.last);
END;
