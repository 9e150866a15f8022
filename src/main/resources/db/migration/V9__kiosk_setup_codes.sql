-- A tablet is set up with a single-use code valid for minutes, which it exchanges for its device key; until then it
-- has no key. Admins see when each tablet was set up and last seen.
ALTER TABLE kiosk_device ALTER COLUMN key_hash DROP NOT NULL;
ALTER TABLE kiosk_device ADD COLUMN setup_code_hash VARCHAR(64);
ALTER TABLE kiosk_device ADD COLUMN setup_expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE kiosk_device ADD COLUMN set_up_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE kiosk_device ADD COLUMN last_seen_at TIMESTAMP WITH TIME ZONE;
CREATE UNIQUE INDEX kiosk_device_setup_code ON kiosk_device (setup_code_hash);
-- Tablets set up before this had a password derived from their key: it is made unusable (they sign in by key only).
UPDATE kiosk_device SET set_up_at = created_at WHERE key_hash IS NOT NULL;
UPDATE app_user SET password_hash = '{unusable}' WHERE id IN (SELECT user_id FROM kiosk_device);
