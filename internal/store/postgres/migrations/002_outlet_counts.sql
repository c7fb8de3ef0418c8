-- Articles per outlet and language, kept up to date as articles are
-- inserted, so that the outlet list never counts the archive.
CREATE TABLE outlet_counts (
    site     text NOT NULL,
    language text NOT NULL,
    n        bigint NOT NULL,
    first    timestamptz NOT NULL,
    last     timestamptz NOT NULL,
    PRIMARY KEY (site, language)
);
INSERT INTO outlet_counts (site, language, n, first, last)
    SELECT site, language, COUNT(*), MIN(COALESCE(published_latest, added)), MAX(COALESCE(published_latest, added))
    FROM articles GROUP BY site, language;
CREATE FUNCTION count_outlet() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outlet_counts (site, language, n, first, last)
    VALUES (NEW.site, NEW.language, 1, COALESCE(NEW.published_latest, NEW.added), COALESCE(NEW.published_latest, NEW.added))
    ON CONFLICT (site, language) DO UPDATE SET n = outlet_counts.n + 1,
        first = LEAST(outlet_counts.first, excluded.first), last = GREATEST(outlet_counts.last, excluded.last);
    RETURN NEW;
END $$;
CREATE TRIGGER articles_outlet_count AFTER INSERT ON articles FOR EACH ROW EXECUTE FUNCTION count_outlet();
