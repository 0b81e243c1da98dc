CREATE TABLE "fhir_access_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"client_id" text,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"query" text,
	"status" integer NOT NULL,
	"resources" integer
);
--> statement-breakpoint
CREATE INDEX "fhir_access_log_client_idx" ON "fhir_access_log" USING btree ("client_id","at");--> statement-breakpoint
CREATE TRIGGER fhir_access_log_append_only BEFORE UPDATE OR DELETE ON "fhir_access_log" FOR EACH ROW EXECUTE FUNCTION cairn_audit_append_only();
