CREATE TABLE `patient_reported_items` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`patient_id` text NOT NULL,
	`submission_id` text NOT NULL,
	`form_id` text NOT NULL,
	`form_title` text NOT NULL,
	`item_id` text NOT NULL,
	`kind` text NOT NULL,
	`label` text NOT NULL,
	`value` text NOT NULL,
	`appointment_id` text,
	`submitted_at` text NOT NULL,
	`submitted_by` text NOT NULL,
	`status` text NOT NULL,
	`reviewed_by` text,
	`reviewed_at` text,
	`review_note` text,
	`chart_record` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_reported_items_patient_idx` ON `patient_reported_items` (`patient_id`,`status`);--> statement-breakpoint
CREATE INDEX `patient_reported_items_submission_idx` ON `patient_reported_items` (`submission_id`);--> statement-breakpoint
CREATE TABLE `portal_confidential` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`patient_id` text NOT NULL,
	`record_type` text NOT NULL,
	`record_id` text NOT NULL,
	`hidden` integer DEFAULT 1 NOT NULL,
	`reason` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `portal_confidential_patient_idx` ON `portal_confidential` (`patient_id`,`record_type`,`record_id`);--> statement-breakpoint
CREATE TABLE `portal_invites` (
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
	`proxy_name` text,
	`proxy_relationship` text,
	`code_hash` text NOT NULL,
	`expires_at` text NOT NULL,
	`redeemed_at` text,
	`redeemed_account` text,
	`revoked_at` text,
	`revoked_by` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `portal_invites_patient_idx` ON `portal_invites` (`patient_id`);--> statement-breakpoint
CREATE TABLE `portal_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`thread_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`author_kind` text NOT NULL,
	`author_id` text NOT NULL,
	`author_name` text NOT NULL,
	`body` text NOT NULL,
	`attachment_name` text,
	`attachment_type` text,
	`attachment_bytes` integer,
	`attachment_data` text,
	`sent_at` text NOT NULL,
	FOREIGN KEY (`thread_id`) REFERENCES `portal_threads`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `portal_messages_thread_idx` ON `portal_messages` (`thread_id`,`sent_at`);--> statement-breakpoint
CREATE TABLE `portal_threads` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`patient_id` text NOT NULL,
	`subject` text NOT NULL,
	`status` text NOT NULL,
	`assigned_to` text,
	`opened_by` text NOT NULL,
	`last_message_at` text NOT NULL,
	`note_id` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `portal_threads_patient_idx` ON `portal_threads` (`patient_id`);--> statement-breakpoint
CREATE INDEX `portal_threads_status_idx` ON `portal_threads` (`status`,`last_message_at`);--> statement-breakpoint
ALTER TABLE `appointments` ADD `booked_online` integer DEFAULT 0 NOT NULL;