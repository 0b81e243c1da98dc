-- A lab result's details move onto its observation (one row per result instead of two); nothing is lost: they are copied first.
ALTER TABLE `observations` ADD `lab_message_id` text;--> statement-breakpoint
ALTER TABLE `observations` ADD `lab_result_key` text;--> statement-breakpoint
ALTER TABLE `observations` ADD `lab_placer_number` text;--> statement-breakpoint
ALTER TABLE `observations` ADD `lab_filler_number` text;--> statement-breakpoint
ALTER TABLE `observations` ADD `lab_order_code` text;--> statement-breakpoint
ALTER TABLE `observations` ADD `lab_order_display` text;--> statement-breakpoint
ALTER TABLE `observations` ADD `lab_value_type` text;--> statement-breakpoint
ALTER TABLE `observations` ADD `lab_value_code` text;--> statement-breakpoint
ALTER TABLE `observations` ADD `lab_notes` text;--> statement-breakpoint
ALTER TABLE `observations` ADD `lab_order_notes` text;--> statement-breakpoint
ALTER TABLE `observations` ADD `lab_attachment` text;--> statement-breakpoint
UPDATE `observations` SET `lab_message_id` = d.message_id, `lab_result_key` = d.result_key, `lab_placer_number` = d.placer_number,
  `lab_filler_number` = d.filler_number, `lab_order_code` = d.order_code, `lab_order_display` = d.order_display, `lab_value_type` = d.value_type,
  `lab_value_code` = d.value_code, `lab_notes` = d.notes, `lab_order_notes` = d.order_notes, `lab_attachment` = d.attachment
  FROM `lab_result_details` d WHERE d.observation_id = `observations`.`id`;--> statement-breakpoint
DROP TABLE `lab_result_details`;--> statement-breakpoint
CREATE INDEX `observations_lab_key_idx` ON `observations` (`patient_id`,`lab_result_key`) WHERE "observations"."lab_result_key" IS NOT NULL;