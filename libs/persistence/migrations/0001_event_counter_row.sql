-- The single counter row that numbers the event log (see schema.ts, `events`).
INSERT INTO "event_counter" ("id", "last_seq") VALUES (1, 0);
