ALTER TABLE `appointments` ADD `series_id` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `series_index` integer;--> statement-breakpoint
ALTER TABLE `appointments` ADD `cancel_reason` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `cancelled_at` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `cancelled_by` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `arrived_at` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `checked_in_at` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `roomed_at` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `with_provider_at` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `checked_out_at` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `check_in` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `encounter_id` text REFERENCES encounters(id);--> statement-breakpoint
CREATE INDEX `appointments_provider_start_idx` ON `appointments` (`provider_id`,`start_at`);--> statement-breakpoint
CREATE INDEX `appointments_room_start_idx` ON `appointments` (`room`,`start_at`);--> statement-breakpoint
CREATE INDEX `appointments_series_idx` ON `appointments` (`series_id`);