-- Lookups by page address (feed items already stored) and the outlet list.
CREATE INDEX pages_url ON pages (url);
CREATE INDEX articles_site ON articles (site, language);
