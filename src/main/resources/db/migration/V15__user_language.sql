-- The language a user chose (a tag such as 'fr'); empty means the browser's.
ALTER TABLE app_user ADD COLUMN language VARCHAR(8);
