-- What story views derive from each article on its own (story.Memo's
-- stored form: its version and the article's fingerprint inside), kept so
-- that a view rebuilt after its articles left the memo decodes them
-- instead of analysing them again. A cache: a row of an older version or
-- of an article since changed is derived again and replaced. It changes
-- no answer, so it does not bump the data stamp.
CREATE TABLE article_derived (
    article_id bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    data       bytea NOT NULL
);
