CREATE TABLE `result_acknowledgements` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`observation_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`note` text,
	FOREIGN KEY (`observation_id`) REFERENCES `observations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `result_acknowledgements_observation_idx` ON `result_acknowledgements` (`observation_id`);--> statement-breakpoint
CREATE INDEX `result_acknowledgements_patient_idx` ON `result_acknowledgements` (`patient_id`);