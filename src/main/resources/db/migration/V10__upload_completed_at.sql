-- When the client completed the upload (the whole file arrived): a chunk retried after that is acknowledged, even
-- once the chunks are joined and gone, or processing failed.
ALTER TABLE upload ADD COLUMN completed_at TIMESTAMP WITH TIME ZONE;
UPDATE upload SET completed_at = updated_at WHERE state IN ('RECEIVED', 'PROCESSING', 'FORWARDING', 'DONE');
