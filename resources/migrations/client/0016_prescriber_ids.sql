ALTER TABLE `users` ADD `npi` text;--> statement-breakpoint
ALTER TABLE `users` ADD `dea` text;