-- Times the PACS acknowledged an instance that verification (QIDO-RS) then did not find: re-sent once, then reported.
ALTER TABLE instance ADD COLUMN unconfirmed INTEGER DEFAULT 0 NOT NULL;
