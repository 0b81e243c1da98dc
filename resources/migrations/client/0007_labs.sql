CREATE TABLE `hl7_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`control_id` text NOT NULL,
	`sending_facility` text NOT NULL,
	`sending_application` text NOT NULL,
	`message_type` text NOT NULL,
	`raw` text NOT NULL,
	`source` text NOT NULL,
	`received_at` text NOT NULL,
	`status` text NOT NULL,
	`ack_code` text NOT NULL,
	`error` text,
	`patient_id` text,
	`results` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hl7_messages_control_uq` ON `hl7_messages` (`sending_facility`,`control_id`) WHERE status <> 'error';--> statement-breakpoint
CREATE INDEX `hl7_messages_status_idx` ON `hl7_messages` (`status`,`received_at`);--> statement-breakpoint
CREATE TABLE `hl7_patient_sources` (
	`patient_id` text PRIMARY KEY NOT NULL,
	`fields` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `hl7_reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`kind` text NOT NULL,
	`patient_id` text,
	`detail` text NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`resolved_at` text,
	`resolved_by` text,
	FOREIGN KEY (`message_id`) REFERENCES `hl7_messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `hl7_reviews_status_idx` ON `hl7_reviews` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `hl7_reviews_message_idx` ON `hl7_reviews` (`message_id`);--> statement-breakpoint
CREATE TABLE `lab_result_details` (
	`observation_id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`result_key` text NOT NULL,
	`placer_number` text NOT NULL,
	`filler_number` text NOT NULL,
	`order_code` text NOT NULL,
	`order_display` text NOT NULL,
	`value_type` text NOT NULL,
	`value_code` text,
	`notes` text NOT NULL,
	`order_notes` text NOT NULL,
	`attachment` text,
	FOREIGN KEY (`message_id`) REFERENCES `hl7_messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lab_result_details_key_idx` ON `lab_result_details` (`patient_id`,`result_key`);