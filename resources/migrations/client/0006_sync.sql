CREATE TABLE `sync_conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`patient_id` text,
	`field` text,
	`values` text NOT NULL,
	`winner` text,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`resolved_by` text,
	`resolved_at` text,
	`resolution` text,
	`updated_at` text,
	`updated_by` text
);
--> statement-breakpoint
CREATE INDEX `sync_conflicts_status_idx` ON `sync_conflicts` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `sync_conflicts_patient_idx` ON `sync_conflicts` (`patient_id`);--> statement-breakpoint
CREATE TABLE `sync_parked` (
	`server_seq` integer PRIMARY KEY NOT NULL,
	`change` text NOT NULL,
	`reason` text NOT NULL,
	`parked_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`data` text NOT NULL,
	`clocks` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_state_pk` ON `sync_state` (`entity`,`entity_id`);--> statement-breakpoint
DROP INDEX `patients_mrn_uq`;--> statement-breakpoint
ALTER TABLE `patients` ADD `merged_into` text;--> statement-breakpoint
CREATE INDEX `patients_mrn_idx` ON `patients` (`mrn`);--> statement-breakpoint
ALTER TABLE `sync_outbox` ADD `hlc` text;--> statement-breakpoint
ALTER TABLE `sync_outbox` ADD `user_id` text;--> statement-breakpoint
ALTER TABLE `sync_outbox` ADD `patient_id` text;--> statement-breakpoint
ALTER TABLE `sync_outbox` ADD `base` text;--> statement-breakpoint
ALTER TABLE `sync_outbox` ADD `server_seq` integer;--> statement-breakpoint
ALTER TABLE `sync_outbox` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_outbox` ADD `quarantined_at` text;--> statement-breakpoint
CREATE INDEX `sync_outbox_entity_idx` ON `sync_outbox` (`entity`,`entity_id`);