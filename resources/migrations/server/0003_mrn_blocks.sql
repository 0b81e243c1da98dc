ALTER TABLE "devices" ADD COLUMN "mrn_block" integer;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_mrn_block_unique" UNIQUE("mrn_block");--> statement-breakpoint
-- MRN blocks for enrolled devices: 2, 3, … (a device not yet enrolled uses the plain series)
CREATE SEQUENCE IF NOT EXISTS "device_mrn_block" START 2;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "sync_rows_patient_mrn_idx" ON "sync_rows" (("data"->>'mrn')) WHERE "entity" = 'patient';
