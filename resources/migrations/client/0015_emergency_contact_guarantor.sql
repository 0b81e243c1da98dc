ALTER TABLE `patients` ADD `emergency_contact_name` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `emergency_contact_relationship` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `emergency_contact_phone` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `guarantor_relationship` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `guarantor_name` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `guarantor_phone` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `guarantor_address` text;