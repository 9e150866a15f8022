-- Photos and documents may join an existing study (picked with it, or looked up): its UID and date, as declared.
ALTER TABLE upload ADD COLUMN study_instance_uid VARCHAR(64);
ALTER TABLE upload ADD COLUMN study_date VARCHAR(8);
