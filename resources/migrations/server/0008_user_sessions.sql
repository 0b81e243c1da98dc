CREATE TABLE "user_lockouts" (
	"user_id" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "user_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"device_id" text NOT NULL,
	"user_id" text NOT NULL,
	"stamp" text NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "token_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "operator" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "enrollment_codes" ADD COLUMN "operator" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "user_sessions_device_user_idx" ON "user_sessions" USING btree ("device_id","user_id");--> statement-breakpoint
-- The lab interface is a device the clinic server enrolls for itself; it writes as the operator `cli:hl7`.
UPDATE "devices" SET "operator" = true WHERE "name" = 'Lab interface (MLLP)';
