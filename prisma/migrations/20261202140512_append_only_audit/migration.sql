-- The audit log is append-only: the database refuses to change or remove an entry, whoever asks.
-- Hand-written: triggers are not part of the Prisma schema. SQLite rebuilds a table to alter it
-- (a new table, rows copied, the old one dropped), which drops these triggers: a later migration
-- that rebuilds "AuditEntry" must create them again (lib/audit/audit-log.db.test.ts checks).

-- CreateTrigger
CREATE TRIGGER "AuditEntry_no_update" BEFORE UPDATE ON "AuditEntry"
BEGIN
    SELECT RAISE(ABORT, 'AuditEntry is append-only: an audit entry cannot be changed');
END;

-- CreateTrigger
CREATE TRIGGER "AuditEntry_no_delete" BEFORE DELETE ON "AuditEntry"
BEGIN
    SELECT RAISE(ABORT, 'AuditEntry is append-only: an audit entry cannot be removed');
END;
