-- The reading side hears about delivered studies: a webhook per destination, and one notice per study delivered.
CREATE TABLE study_webhook (
    destination_id BIGINT        NOT NULL PRIMARY KEY REFERENCES destination (id),
    url            VARCHAR(2000) NOT NULL,
    secret         VARCHAR(2000) NOT NULL
);
CREATE TABLE study_notice (
    id              UUID                     NOT NULL PRIMARY KEY,
    destination_id  BIGINT                   NOT NULL,
    clinic_id       BIGINT,
    study_uid       VARCHAR(64)              NOT NULL,
    stored          INTEGER                  NOT NULL,
    failed          INTEGER                  NOT NULL,
    delivered_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    state           VARCHAR(16)              NOT NULL,
    attempts        INTEGER                  NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_error      VARCHAR(1000),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at         TIMESTAMP WITH TIME ZONE
);
CREATE INDEX study_notice_due_idx ON study_notice (state, next_attempt_at);
ALTER TABLE instance ADD COLUMN noticed BOOLEAN DEFAULT FALSE NOT NULL;
INSERT INTO job_lease (name, leased_until) VALUES ('study-webhooks', TIMESTAMP WITH TIME ZONE '2000-01-01 00:00:00+00');
-- A PACS that refuses compressed images may be sent them decompressed (off unless an administrator turns it on).
ALTER TABLE destination ADD COLUMN decompress_when_refused BOOLEAN DEFAULT FALSE NOT NULL;
