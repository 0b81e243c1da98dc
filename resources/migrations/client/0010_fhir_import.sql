CREATE TABLE `care_plans` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`patient_id` text NOT NULL,
	`encounter_id` text,
	`status` text NOT NULL,
	`intent` text NOT NULL,
	`category_code` text,
	`category_display` text,
	`title` text,
	`period_start` text,
	`period_end` text,
	`activities` text DEFAULT '[]' NOT NULL,
	`addresses` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `care_plans_patient_idx` ON `care_plans` (`patient_id`);--> statement-breakpoint
CREATE TABLE `diagnostic_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`patient_id` text NOT NULL,
	`encounter_id` text,
	`category` text,
	`loinc` text,
	`display` text NOT NULL,
	`status` text NOT NULL,
	`effective_at` text,
	`issued_at` text,
	`result_ids` text DEFAULT '[]' NOT NULL,
	`conclusion` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `diagnostic_reports_patient_idx` ON `diagnostic_reports` (`patient_id`,`effective_at`);--> statement-breakpoint
CREATE TABLE `fhir_import_sources` (
	`source` text NOT NULL,
	`resource_type` text NOT NULL,
	`source_id` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`content_hash` text NOT NULL,
	`imported_at` text NOT NULL,
	PRIMARY KEY(`resource_type`, `source_id`)
);
--> statement-breakpoint
CREATE INDEX `fhir_import_sources_entity_idx` ON `fhir_import_sources` (`entity_id`);--> statement-breakpoint
CREATE TABLE `procedures` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`patient_id` text NOT NULL,
	`encounter_id` text,
	`code_system` text,
	`code` text,
	`display` text NOT NULL,
	`status` text NOT NULL,
	`performed_start` text,
	`performed_end` text,
	`reason_code` text,
	`reason_display` text,
	`note` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `procedures_patient_idx` ON `procedures` (`patient_id`,`performed_start`);--> statement-breakpoint
ALTER TABLE `observations` ADD `value_code` text;--> statement-breakpoint
ALTER TABLE `observations` ADD `value_system` text;