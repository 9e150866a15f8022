-- A phone paired to a signed-in user's upload session by a QR code: the code is single-use and short-lived, only
-- its hash is stored; the phone's uploads carry the session's batch id so the computer sees them arrive. The patient
-- details typed for the photos are identifying and are cleared when the code is used or expires.
CREATE TABLE pairing (
    id            UUID                     PRIMARY KEY,
    code_hash     VARCHAR(64)              NOT NULL UNIQUE,
    user_id       BIGINT                   NOT NULL REFERENCES app_user (id),
    batch_id      VARCHAR(100)             NOT NULL,
    patient_name  VARCHAR(200),
    patient_id    VARCHAR(64),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at       TIMESTAMP WITH TIME ZONE
);
