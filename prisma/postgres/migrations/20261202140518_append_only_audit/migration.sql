-- The audit log is append-only: the database refuses to change or remove an entry, whoever asks.
-- Hand-written: functions and triggers are not part of the Prisma schema. Statement-level, so
-- that any UPDATE, DELETE or TRUNCATE of the table is refused, even one that would match no row.
-- The table's owner can still disable or drop the trigger: production runs migrations as the
-- owner and the app as a role of its own with SELECT and INSERT only on "AuditEntry" (README,
-- "Sharing, consent and audit").

-- CreateFunction
-- \073 is a semicolon: the PostgreSQL driver adapter that replays migrations for db:status splits
-- a script at every semicolon, even inside a function body, so the body has none written out.
CREATE OR REPLACE FUNCTION "AuditEntry_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS E'BEGIN RAISE EXCEPTION ''AuditEntry is append-only: % refused'', TG_OP\073 END\073';

-- CreateTrigger
CREATE TRIGGER "AuditEntry_append_only"
    BEFORE UPDATE OR DELETE OR TRUNCATE ON "AuditEntry"
    FOR EACH STATEMENT EXECUTE FUNCTION "AuditEntry_refuse_change"();
