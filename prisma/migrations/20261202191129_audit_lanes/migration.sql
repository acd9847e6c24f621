-- Audit lanes: several hash chains instead of one (lib/audit/chain.ts), so that appends for
-- different citizens do not wait for each other. Every entry written so far was one chain: it
-- becomes lane 0, each entry at the place in it it already had (laneSeq = seq), so its stored
-- hash still verifies unchanged. "seq" stays the order entries were written in.
-- Edited by hand: SQLite rebuilds the table to add the columns (a new table, the rows copied in
-- with laneSeq from seq, the old table dropped), and dropping the old table drops its
-- append-only triggers (20261202140512_append_only_audit), so they are created again on the new
-- one (lib/audit/audit-log.db.test.ts checks they refuse).

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AuditEntry" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "lane" INTEGER NOT NULL DEFAULT 0,
    "laneSeq" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "citizenId" TEXT,
    "actorKind" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT,
    "actorOrganisation" TEXT,
    "actorRole" TEXT,
    "action" TEXT NOT NULL,
    "category" TEXT,
    "reason" TEXT,
    "detail" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);
INSERT INTO "new_AuditEntry" ("action", "actorId", "actorKind", "actorName", "actorOrganisation", "actorRole", "at", "category", "citizenId", "detail", "hash", "prevHash", "reason", "seq", "lane", "laneSeq") SELECT "action", "actorId", "actorKind", "actorName", "actorOrganisation", "actorRole", "at", "category", "citizenId", "detail", "hash", "prevHash", "reason", "seq", 0, "seq" FROM "AuditEntry";
DROP TABLE "AuditEntry";
ALTER TABLE "new_AuditEntry" RENAME TO "AuditEntry";
CREATE UNIQUE INDEX "AuditEntry_hash_key" ON "AuditEntry"("hash");
CREATE INDEX "AuditEntry_citizenId_at_idx" ON "AuditEntry"("citizenId", "at");
CREATE INDEX "AuditEntry_action_at_idx" ON "AuditEntry"("action", "at");
CREATE UNIQUE INDEX "AuditEntry_lane_laneSeq_key" ON "AuditEntry"("lane", "laneSeq");

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

PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
