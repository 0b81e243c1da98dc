CREATE TABLE `claim_events` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`claim_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`status` text NOT NULL,
	`at` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `claim_events_claim_idx` ON `claim_events` (`claim_id`,`at`);--> statement-breakpoint
CREATE TABLE `claim_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`claim_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`line_number` integer NOT NULL,
	`code` text NOT NULL,
	`modifiers` text DEFAULT '' NOT NULL,
	`units` integer NOT NULL,
	`charge_cents` integer NOT NULL,
	`pointers` text NOT NULL,
	`ndc` text,
	`ndc_quantity` integer,
	`ndc_unit` text,
	`paid_cents` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `claim_lines_claim_idx` ON `claim_lines` (`claim_id`,`line_number`);--> statement-breakpoint
CREATE TABLE `claims` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`claim_number` text NOT NULL,
	`patient_id` text NOT NULL,
	`encounter_id` text,
	`coverage_id` text,
	`payer_rank` integer,
	`status` text NOT NULL,
	`frequency` text NOT NULL,
	`related_claim_id` text,
	`payer_claim_number` text,
	`service_date` text NOT NULL,
	`place_of_service` text NOT NULL,
	`diagnoses` text NOT NULL,
	`rendering_id` text,
	`rendering_npi` text,
	`referring_name` text,
	`referring_npi` text,
	`facility` text,
	`total_cents` integer NOT NULL,
	`paid_cents` integer DEFAULT 0 NOT NULL,
	`patient_responsibility_cents` integer DEFAULT 0 NOT NULL,
	`findings` text,
	`batch_id` text,
	`submitted_at` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`encounter_id`) REFERENCES `encounters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `claims_number_idx` ON `claims` (`claim_number`);--> statement-breakpoint
CREATE INDEX `claims_patient_idx` ON `claims` (`patient_id`);--> statement-breakpoint
CREATE INDEX `claims_status_idx` ON `claims` (`status`);--> statement-breakpoint
CREATE INDEX `claims_encounter_idx` ON `claims` (`encounter_id`);--> statement-breakpoint
CREATE TABLE `coverages` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`patient_id` text NOT NULL,
	`payer_ref` text NOT NULL,
	`rank` integer NOT NULL,
	`member_id` text NOT NULL,
	`group_number` text,
	`plan_name` text,
	`relationship` text NOT NULL,
	`subscriber` text,
	`effective_from` text,
	`effective_to` text,
	`copay_cents` integer,
	`card_front` text,
	`card_back` text,
	`confirmed_at` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payer_ref`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `coverages_patient_idx` ON `coverages` (`patient_id`,`rank`);--> statement-breakpoint
CREATE TABLE `eligibility_checks` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`patient_id` text NOT NULL,
	`coverage_id` text NOT NULL,
	`checked_at` text NOT NULL,
	`active` integer,
	`plan_name` text,
	`copay_cents` integer,
	`coinsurance_percent` integer,
	`deductible_cents` integer,
	`deductible_remaining_cents` integer,
	`detail` text,
	`reference` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `eligibility_patient_idx` ON `eligibility_checks` (`patient_id`,`checked_at`);--> statement-breakpoint
CREATE INDEX `eligibility_coverage_idx` ON `eligibility_checks` (`coverage_id`,`checked_at`);--> statement-breakpoint
CREATE TABLE `fee_schedule` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`code` text NOT NULL,
	`modifier` text DEFAULT '' NOT NULL,
	`price_cents` integer NOT NULL,
	`effective_from` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `fee_schedule_code_idx` ON `fee_schedule` (`code`,`modifier`,`effective_from`);--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`patient_id` text NOT NULL,
	`claim_id` text,
	`claim_line_id` text,
	`kind` text NOT NULL,
	`party` text NOT NULL,
	`payer_ref` text,
	`amount_cents` integer NOT NULL,
	`posted_at` text NOT NULL,
	`service_date` text,
	`provider_id` text,
	`method` text,
	`reference` text,
	`adjustment_group` text,
	`adjustment_reason` text,
	`remittance_id` text,
	`reverses_id` text,
	`memo` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ledger_patient_idx` ON `ledger_entries` (`patient_id`,`posted_at`);--> statement-breakpoint
CREATE INDEX `ledger_claim_idx` ON `ledger_entries` (`claim_id`);--> statement-breakpoint
CREATE INDEX `ledger_service_idx` ON `ledger_entries` (`service_date`);--> statement-breakpoint
CREATE TABLE `payers` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`name` text NOT NULL,
	`payer_id` text NOT NULL,
	`filing_indicator` text NOT NULL,
	`address_line1` text,
	`city` text,
	`state` text,
	`zip` text,
	`phone` text
);
--> statement-breakpoint
CREATE INDEX `payers_payer_id_idx` ON `payers` (`payer_id`);--> statement-breakpoint
CREATE TABLE `procedure_codes` (
	`code` text PRIMARY KEY NOT NULL,
	`system` text NOT NULL,
	`description` text NOT NULL,
	`imported_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `remittances` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`file_hash` text NOT NULL,
	`control_number` text NOT NULL,
	`trace_number` text NOT NULL,
	`payer_name` text NOT NULL,
	`payment_cents` integer NOT NULL,
	`payment_date` text NOT NULL,
	`claims_matched` integer NOT NULL,
	`claims_unmatched` integer NOT NULL,
	`provider_adjustments` text
);
--> statement-breakpoint
CREATE INDEX `remittances_hash_idx` ON `remittances` (`file_hash`);--> statement-breakpoint
CREATE TABLE `unmatched_remittances` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`remittance_id` text NOT NULL,
	`patient_control_number` text NOT NULL,
	`payer_claim_number` text,
	`patient_name` text,
	`charge_cents` integer NOT NULL,
	`paid_cents` integer NOT NULL,
	`detail` text NOT NULL,
	`status` text NOT NULL,
	`resolved_claim_id` text
);
--> statement-breakpoint
CREATE INDEX `unmatched_status_idx` ON `unmatched_remittances` (`status`);--> statement-breakpoint
CREATE TABLE `x12_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`kind` text NOT NULL,
	`interchange_control` integer NOT NULL,
	`group_control` integer NOT NULL,
	`claim_count` integer NOT NULL,
	`total_cents` integer NOT NULL,
	`file_name` text,
	`status` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `x12_batches_control_idx` ON `x12_batches` (`interchange_control`);