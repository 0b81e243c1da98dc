CREATE TABLE `med_alert_overrides` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`context` text NOT NULL,
	`rxcui` text,
	`course_id` text,
	`rule_id` text NOT NULL,
	`kind` text NOT NULL,
	`severity` text NOT NULL,
	`message` text NOT NULL,
	`reason` text NOT NULL,
	`user_id` text NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `med_alert_overrides_patient_idx` ON `med_alert_overrides` (`patient_id`,`at`);--> statement-breakpoint
CREATE TABLE `med_reconciliations` (
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
	`reconciled_by` text NOT NULL,
	`reconciled_at` text NOT NULL,
	`items` text NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `prescriptions` (
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
	`course_id` text NOT NULL,
	`rxcui` text NOT NULL,
	`drug_name` text NOT NULL,
	`sig` text NOT NULL,
	`status` text NOT NULL,
	`prescriber_id` text NOT NULL,
	`signed_at` text NOT NULL,
	`medication_request` text NOT NULL,
	`transmission` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`prescriber_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `prescriptions_patient_idx` ON `prescriptions` (`patient_id`,`signed_at`);--> statement-breakpoint
ALTER TABLE `medication_events` ADD `sig` text;--> statement-breakpoint
ALTER TABLE `medication_events` ADD `prescription_id` text;--> statement-breakpoint
ALTER TABLE `medication_events` ADD `encounter_id` text;