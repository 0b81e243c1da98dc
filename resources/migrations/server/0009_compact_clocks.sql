ALTER TABLE "sync_changes" ADD COLUMN "hlc" text;--> statement-breakpoint
ALTER TABLE "sync_rows" ADD COLUMN "hlc" text;