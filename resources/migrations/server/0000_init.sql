CREATE TABLE "audit_entries" (
	"device_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"at" text NOT NULL,
	"user_id" text,
	"action" text NOT NULL,
	"patient_id" text,
	"record_type" text,
	"record_id" text,
	"detail" text,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"chain_ok" boolean NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_entries_device_id_seq_pk" PRIMARY KEY("device_id","seq")
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"enrolled_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"last_seen_at" timestamp with time zone,
	"schema_version" integer,
	CONSTRAINT "devices_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "enrollment_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"device_id" text
);
--> statement-breakpoint
CREATE TABLE "sync_changes" (
	"server_seq" bigint PRIMARY KEY NOT NULL,
	"device_id" text,
	"device_seq" bigint,
	"entity" text NOT NULL,
	"entity_id" text NOT NULL,
	"patient_id" text,
	"op" text NOT NULL,
	"fields" jsonb NOT NULL,
	"clocks" jsonb NOT NULL,
	"author_id" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_counter" (
	"id" integer PRIMARY KEY NOT NULL,
	"n" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_rejections" (
	"device_id" text NOT NULL,
	"device_seq" bigint NOT NULL,
	"code" text NOT NULL,
	"message" text NOT NULL,
	"mutation" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_rejections_device_id_device_seq_pk" PRIMARY KEY("device_id","device_seq")
);
--> statement-breakpoint
CREATE TABLE "sync_rows" (
	"entity" text NOT NULL,
	"entity_id" text NOT NULL,
	"patient_id" text,
	"data" jsonb NOT NULL,
	"clocks" jsonb NOT NULL,
	"server_seq" bigint NOT NULL,
	CONSTRAINT "sync_rows_entity_entity_id_pk" PRIMARY KEY("entity","entity_id")
);
--> statement-breakpoint
CREATE INDEX "audit_entries_patient_idx" ON "audit_entries" USING btree ("patient_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "sync_changes_device_uq" ON "sync_changes" USING btree ("device_id","device_seq");--> statement-breakpoint
CREATE INDEX "sync_rows_patient_idx" ON "sync_rows" USING btree ("patient_id");