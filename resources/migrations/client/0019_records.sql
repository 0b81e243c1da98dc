CREATE TABLE `care_events` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`patient_id` text NOT NULL,
	`kind` text NOT NULL,
	`facility` text NOT NULL,
	`event_at` text NOT NULL,
	`reason` text,
	`disposition` text,
	`attending` text,
	`follow_up_due` text,
	`follow_up_status` text NOT NULL,
	`follow_up_by` text,
	`follow_up_at` text,
	`follow_up_note` text,
	`control_id` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `care_events_patient_idx` ON `care_events` (`patient_id`);--> statement-breakpoint
CREATE INDEX `care_events_follow_up_idx` ON `care_events` (`follow_up_status`,`follow_up_due`);--> statement-breakpoint
CREATE TABLE `ccda_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`patient_id` text NOT NULL,
	`document_id` text,
	`doc_type` text NOT NULL,
	`title` text NOT NULL,
	`source_name` text NOT NULL,
	`effective_time` text,
	`mode` text NOT NULL,
	`counts` text NOT NULL,
	`skipped` text NOT NULL,
	`imported_at` text NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ccda_imports_patient_idx` ON `ccda_imports` (`patient_id`);--> statement-breakpoint
CREATE TABLE `document_chunks` (
	`document_id` text NOT NULL,
	`idx` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`document_id`, `idx`)
);
--> statement-breakpoint
CREATE TABLE `document_content_state` (
	`document_id` text PRIMARY KEY NOT NULL,
	`complete` integer DEFAULT 0 NOT NULL,
	`uploaded` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `documents` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`patient_id` text,
	`status` text NOT NULL,
	`category` text,
	`title` text NOT NULL,
	`document_date` text,
	`source` text,
	`mime_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`chunk_count` integer NOT NULL,
	`origin` text NOT NULL,
	`origin_ref` text,
	`order_id` text,
	`referral_id` text,
	`filed_by` text,
	`filed_at` text,
	`note` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `documents_patient_idx` ON `documents` (`patient_id`,`document_date`);--> statement-breakpoint
CREATE INDEX `documents_status_idx` ON `documents` (`status`);--> statement-breakpoint
CREATE TABLE `reconcile_items` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`patient_id` text NOT NULL,
	`import_id` text,
	`source` text NOT NULL,
	`source_label` text NOT NULL,
	`section` text NOT NULL,
	`match` text NOT NULL,
	`match_type` text,
	`match_id` text,
	`summary` text NOT NULL,
	`code_system` text,
	`code` text,
	`item_date` text,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`decided_by` text,
	`decided_at` text,
	`chart_record` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reconcile_items_patient_idx` ON `reconcile_items` (`patient_id`,`status`);--> statement-breakpoint
CREATE INDEX `reconcile_items_import_idx` ON `reconcile_items` (`import_id`);--> statement-breakpoint
CREATE TABLE `referral_contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`name` text NOT NULL,
	`organization` text,
	`specialty` text NOT NULL,
	`npi` text,
	`phone` text,
	`fax` text,
	`email` text,
	`direct_address` text,
	`address` text,
	`note` text
);
--> statement-breakpoint
CREATE TABLE `referrals` (
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
	`direction` text NOT NULL,
	`contact_id` text,
	`specialty` text NOT NULL,
	`reason` text NOT NULL,
	`urgency` text NOT NULL,
	`diagnoses` text NOT NULL,
	`status` text NOT NULL,
	`ordered_by` text,
	`reply_due` text,
	`sent_at` text,
	`scheduled_at` text,
	`appointment_at` text,
	`consult_received_at` text,
	`consult_document_id` text,
	`closed_at` text,
	`closed_note` text,
	`external_ref` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`encounter_id`) REFERENCES `encounters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `referrals_patient_idx` ON `referrals` (`patient_id`);--> statement-breakpoint
CREATE INDEX `referrals_status_idx` ON `referrals` (`status`,`reply_due`);--> statement-breakpoint
ALTER TABLE `lab_orders` ADD `category` text DEFAULT 'lab' NOT NULL;--> statement-breakpoint
ALTER TABLE `lab_orders` ADD `detail` text;