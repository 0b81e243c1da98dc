-- Likely duplicates are looked up by family name, given name and birth date together (a clinic can have
-- thousands of one family name and birth date, e.g. after an import).
DROP INDEX IF EXISTS "sync_rows_patient_match_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "sync_rows_patient_match_idx" ON "sync_rows" ((lower("data"->>'family_name')), (lower("data"->>'given_name')), ("data"->>'birth_date')) WHERE "entity" = 'patient';
