DROP INDEX `ledger_service_idx`;--> statement-breakpoint
CREATE INDEX `ledger_posted_idx` ON `ledger_entries` (`posted_at`);