-- A fingerprint of each key every instance must share (storage keyset, JWT secret, destination secrets keyset,
-- de-identification secret), recorded by the first instance that starts: an instance started with other keys
-- stops at once instead of writing what the others cannot read.
CREATE TABLE shared_key (
    name        VARCHAR(50) PRIMARY KEY,
    fingerprint VARCHAR(64) NOT NULL
);
