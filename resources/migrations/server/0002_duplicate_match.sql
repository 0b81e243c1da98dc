-- Likely duplicates: the same family name and birth date registered on two devices.
CREATE INDEX IF NOT EXISTS "sync_rows_patient_match_idx" ON "sync_rows" ((lower("data"->>'family_name')), ("data"->>'birth_date')) WHERE "entity" = 'patient';
