-- Rate-limit buckets shared by every app instance on PostgreSQL (bucket4j's select-for-update proxy manager): one
-- row per limited key (a user name, an address), its state serialised, removed once it has refilled.
CREATE TABLE rate_limit_bucket (
    id         VARCHAR(300) PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
CREATE INDEX rate_limit_bucket_expires ON rate_limit_bucket (expires_at);
