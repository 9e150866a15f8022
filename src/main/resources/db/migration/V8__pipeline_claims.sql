-- Processing is claimed with SELECT ... FOR UPDATE SKIP LOCKED; after storage trouble an upload waits until
-- process_after before it is claimed again (null: at once).
ALTER TABLE upload ADD COLUMN process_after TIMESTAMP WITH TIME ZONE;
