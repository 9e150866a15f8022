-- What the uploader entered for photos of a batch (a photo has no DICOM header). Identifying: purged with the upload.
ALTER TABLE upload ADD COLUMN patient_name VARCHAR(200);
ALTER TABLE upload ADD COLUMN patient_id VARCHAR(64);
ALTER TABLE upload ADD COLUMN patient_birth_date VARCHAR(8);
ALTER TABLE upload ADD COLUMN patient_sex VARCHAR(1);
ALTER TABLE upload ADD COLUMN study_description VARCHAR(200);
ALTER TABLE upload ADD COLUMN accession_number VARCHAR(16);

-- How RelayPACS made an instance when it did (a photo wrapped as DICOM), shown with its delivery state.
ALTER TABLE instance ADD COLUMN note VARCHAR(200);

-- De-identification (PS3.15 Basic profile): asked for per upload, or forced for every upload of a clinic.
ALTER TABLE upload ADD COLUMN deidentify BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE clinic ADD COLUMN deidentify BOOLEAN DEFAULT FALSE NOT NULL;

-- Processing that failed on storage trouble is retried with backoff, then reported, never retried forever.
ALTER TABLE upload ADD COLUMN processing_attempts INTEGER DEFAULT 0 NOT NULL;
