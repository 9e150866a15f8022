-- Rate-limit buckets shared by every app instance on PostgreSQL (bucket4j's select-for-update proxy manager): one
-- row per limited key (a user name, an address), its state serialised, removed once it has refilled.
CREATE TABLE rate_limit_bucket (
    id         VARCHAR(300) PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
CREATE INDEX rate_limit_bucket_expires ON rate_limit_bucket (expires_at);

-- The expiry of unfinished uploads runs on one instance at a time.
INSERT INTO job_lease (name, leased_until) VALUES ('upload-expiry', TIMESTAMP WITH TIME ZONE '2000-01-01 00:00:00+00');
