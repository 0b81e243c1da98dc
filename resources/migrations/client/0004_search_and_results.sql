-- Recent results on the face sheet read by (patient, category, time) without scanning the history.
CREATE INDEX `observations_patient_category_idx` ON `observations` (`patient_id`, `category`, `effective_at`);
--> statement-breakpoint
-- Phones: index the full digits, the last 10 (a US number typed without its +1) and the last 7.
DROP TRIGGER `patients_search_ai`;
--> statement-breakpoint
DROP TRIGGER `patients_search_au`;
--> statement-breakpoint
CREATE TRIGGER `patients_search_ai` AFTER INSERT ON `patients` BEGIN
	INSERT INTO patient_search(rowid, names, ids, phones) VALUES (
		new.row_id,
		concat_ws(' ', new.given_name, new.middle_name, new.family_name, new.preferred_name),
		concat_ws(' ', new.mrn, (SELECT group_concat(json_extract(value, '$.value'), ' ') FROM json_each(new.identifiers))),
		concat_ws(' ', new.phone_digits, substr(new.phone_digits, -10), substr(new.phone_digits, -7))
	);
END;
--> statement-breakpoint
CREATE TRIGGER `patients_search_au` AFTER UPDATE OF given_name, middle_name, family_name, preferred_name, mrn, identifiers, phone_digits ON `patients` BEGIN
	DELETE FROM patient_search WHERE rowid = old.row_id;
	INSERT INTO patient_search(rowid, names, ids, phones) VALUES (
		new.row_id,
		concat_ws(' ', new.given_name, new.middle_name, new.family_name, new.preferred_name),
		concat_ws(' ', new.mrn, (SELECT group_concat(json_extract(value, '$.value'), ' ') FROM json_each(new.identifiers))),
		concat_ws(' ', new.phone_digits, substr(new.phone_digits, -10), substr(new.phone_digits, -7))
	);
END;
--> statement-breakpoint
-- Re-index the phones of charts made before this migration.
UPDATE patient_search SET phones = (
	SELECT concat_ws(' ', p.phone_digits, substr(p.phone_digits, -10), substr(p.phone_digits, -7)) FROM patients p WHERE p.row_id = patient_search.rowid
);
