ALTER TABLE `allergies` ADD `substance_type` text;--> statement-breakpoint
ALTER TABLE `allergies` ADD `onset_date` text;--> statement-breakpoint
ALTER TABLE `allergies` ADD `note` text;--> statement-breakpoint
ALTER TABLE `conditions` ADD `chronic` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `conditions` ADD `note` text;--> statement-breakpoint
ALTER TABLE `immunizations` ADD `expiration_date` text;--> statement-breakpoint
ALTER TABLE `immunizations` ADD `dose_number` integer;--> statement-breakpoint
ALTER TABLE `immunizations` ADD `source` text DEFAULT 'administered' NOT NULL;--> statement-breakpoint
ALTER TABLE `immunizations` ADD `note` text;--> statement-breakpoint
ALTER TABLE `observations` ADD `set_id` text;--> statement-breakpoint
ALTER TABLE `observations` ADD `entered_as` text;--> statement-breakpoint
CREATE INDEX `observations_encounter_idx` ON `observations` (`encounter_id`);--> statement-breakpoint
CREATE INDEX `notes_encounter_idx` ON `clinical_notes` (`encounter_id`);--> statement-breakpoint
CREATE INDEX `notes_amends_idx` ON `clinical_notes` (`amends_note_id`);