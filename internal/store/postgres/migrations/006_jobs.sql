-- Pages analysed by the workers of the job queue, waiting for the one
-- assignment owner to store them and assign them to stories (seq: the
-- queue's job id, the order of assignment).
CREATE TABLE analysed (
    seq   bigint PRIMARY KEY,
    input text NOT NULL,
    data  bytea NOT NULL,
    added timestamptz NOT NULL DEFAULT now()
);
