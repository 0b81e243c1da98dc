-- Lab results have no encounter and most observations no predecessor: leave those rows out of the two indexes.
DROP INDEX `observations_encounter_idx`;--> statement-breakpoint
DROP INDEX `observations_supersedes_idx`;--> statement-breakpoint
CREATE INDEX `observations_encounter_idx` ON `observations` (`encounter_id`) WHERE "observations"."encounter_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `observations_supersedes_idx` ON `observations` (`supersedes_id`) WHERE "observations"."supersedes_id" IS NOT NULL;