CREATE TABLE "fhir_clients" (
	"client_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"secret_hash" text NOT NULL,
	"scopes" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "fhir_export_files" (
	"job_id" text NOT NULL,
	"idx" integer NOT NULL,
	"resource_type" text NOT NULL,
	"count" integer NOT NULL,
	"body" text NOT NULL,
	CONSTRAINT "fhir_export_files_job_id_idx_pk" PRIMARY KEY("job_id","idx")
);
--> statement-breakpoint
CREATE TABLE "fhir_export_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"request" text NOT NULL,
	"level" text NOT NULL,
	"types" text NOT NULL,
	"since" text,
	"status" text NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "fhir_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"scopes" text NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "fhir_tokens_client_idx" ON "fhir_tokens" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "fhir_tokens_expires_idx" ON "fhir_tokens" USING btree ("expires_at");--> statement-breakpoint
-- FHIR search: Observation?patient=…&code=… (the most common clinical query) reads one index range.
CREATE INDEX IF NOT EXISTS "sync_rows_fhir_obs_code_idx" ON "sync_rows" ("patient_id", ("data"->>'loinc'), ("data"->>'effective_at')) WHERE "entity" = 'observation';--> statement-breakpoint
-- A medication course (MedicationRequest) is read by its course id within a patient.
CREATE INDEX IF NOT EXISTS "sync_rows_fhir_med_course_idx" ON "sync_rows" (("data"->>'course_id')) WHERE "entity" = 'medication_event';
