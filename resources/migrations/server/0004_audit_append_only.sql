-- Audit entries from devices are append-only on the server too: the database refuses to change or remove one.
CREATE OR REPLACE FUNCTION cairn_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit entries are append-only';
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON "audit_entries" FOR EACH ROW EXECUTE FUNCTION cairn_audit_append_only();
