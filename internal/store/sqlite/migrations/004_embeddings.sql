-- Embeddings from the optional external service, as little-endian float32,
-- so that model replay and recluster see what assignment saw.
CREATE TABLE embeddings (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    vec        BLOB NOT NULL
);
