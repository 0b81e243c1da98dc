-- Patient search index (FTS5). unicode61 with remove_diacritics 2 folds case and accents, so
-- "jose" finds "José". Rows share the patients.row_id (an INTEGER PRIMARY KEY, stable through VACUUM).
-- Triggers keep it in the same transaction as the patient write.
CREATE VIRTUAL TABLE `patient_search` USING fts5(
	names, ids, phones,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '1 2 3'
);
--> statement-breakpoint
CREATE TRIGGER `patients_search_ai` AFTER INSERT ON `patients` BEGIN
	INSERT INTO patient_search(rowid, names, ids, phones) VALUES (
		new.row_id,
		concat_ws(' ', new.given_name, new.middle_name, new.family_name, new.preferred_name),
		concat_ws(' ', new.mrn, (SELECT group_concat(json_extract(value, '$.value'), ' ') FROM json_each(new.identifiers))),
		concat_ws(' ', new.phone_digits, substr(new.phone_digits, -7))
	);
END;
--> statement-breakpoint
CREATE TRIGGER `patients_search_au` AFTER UPDATE OF given_name, middle_name, family_name, preferred_name, mrn, identifiers, phone_digits ON `patients` BEGIN
	DELETE FROM patient_search WHERE rowid = old.row_id;
	INSERT INTO patient_search(rowid, names, ids, phones) VALUES (
		new.row_id,
		concat_ws(' ', new.given_name, new.middle_name, new.family_name, new.preferred_name),
		concat_ws(' ', new.mrn, (SELECT group_concat(json_extract(value, '$.value'), ' ') FROM json_each(new.identifiers))),
		concat_ws(' ', new.phone_digits, substr(new.phone_digits, -7))
	);
END;
--> statement-breakpoint
CREATE TRIGGER `patients_search_ad` AFTER DELETE ON `patients` BEGIN
	DELETE FROM patient_search WHERE rowid = old.row_id;
END;
--> statement-breakpoint
-- Audit entries are append-only: the database itself refuses to change or remove one.
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log` BEGIN
	SELECT RAISE(ABORT, 'audit entries are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log` BEGIN
	SELECT RAISE(ABORT, 'audit entries are append-only');
END;
--> statement-breakpoint
INSERT INTO `roles` (`name`, `description`) VALUES
	('physician', 'Physician: charts, orders and signs notes'),
	('nurse', 'Nurse or medical assistant: vitals, intake, immunizations'),
	('front_desk', 'Front desk: demographics and the schedule'),
	('billing', 'Billing: codes and insurance'),
	('admin', 'Administrator: users, devices and backups');
