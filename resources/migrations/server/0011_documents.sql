CREATE TABLE "document_chunks" (
	"document_id" text NOT NULL,
	"idx" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"device_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "document_chunks_document_id_idx_pk" PRIMARY KEY("document_id","idx")
);
