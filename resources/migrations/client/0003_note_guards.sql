-- A signed note is immutable: only its status may move to entered_in_error (with a reason).
-- Corrections are addenda (new rows with amends_note_id). Enforced here too, not only in code.
CREATE TRIGGER `clinical_notes_signed_immutable` BEFORE UPDATE ON `clinical_notes`
WHEN old.signed_at IS NOT NULL AND (
	new.content IS NOT old.content OR new.title IS NOT old.title OR new.signed_at IS NOT old.signed_at
	OR new.signed_by IS NOT old.signed_by OR new.content_hash IS NOT old.content_hash
	OR new.author_id IS NOT old.author_id OR new.patient_id IS NOT old.patient_id
	OR new.template_id IS NOT old.template_id OR new.deleted_at IS NOT NULL
	OR (new.status IS NOT old.status AND new.status != 'entered_in_error')
)
BEGIN
	SELECT RAISE(ABORT, 'a signed note cannot be changed: add an addendum instead');
END;
--> statement-breakpoint
CREATE TRIGGER `clinical_notes_no_delete` BEFORE DELETE ON `clinical_notes` BEGIN
	SELECT RAISE(ABORT, 'notes are never deleted: mark the note entered in error');
END;
