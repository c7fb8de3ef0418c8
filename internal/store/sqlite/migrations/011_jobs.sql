-- Pages analysed by the workers of a job queue, waiting for the one
-- assignment owner to store them and assign them to stories (seq: the
-- queue's job id, the order of assignment).
CREATE TABLE analysed (
    seq   INTEGER PRIMARY KEY,
    input TEXT NOT NULL,
    data  BLOB NOT NULL,
    added TEXT NOT NULL
);
