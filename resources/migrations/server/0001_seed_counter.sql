-- The change-log counter starts at 0; its row is locked while a change is numbered.
INSERT INTO "sync_counter" ("id", "n") VALUES (1, 0) ON CONFLICT DO NOTHING;
