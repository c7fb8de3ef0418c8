-- What story views derive from each article on its own (story.Memo's
-- stored form: its version and the article's fingerprint inside), kept so
-- that a view rebuilt after its articles left the memo decodes them
-- instead of analysing them again. A cache: a row of an older version or
-- of an article since changed is derived again and replaced.
CREATE TABLE article_derived (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    data       BLOB NOT NULL
);
