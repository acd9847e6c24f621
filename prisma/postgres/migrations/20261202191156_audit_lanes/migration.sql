-- Audit lanes: several hash chains instead of one (lib/audit/chain.ts), so that appends for
-- different citizens do not wait for each other. Every entry written so far was one chain: it
-- becomes lane 0, each entry at the place in it it already had (laneSeq = seq), so its stored
-- hash still verifies unchanged. "seq" stays the order entries were written in.
-- Edited by hand: filling laneSeq is an UPDATE, which the append-only trigger refuses
-- (20261202140518_append_only_audit), so the trigger is dropped for it and created again, in
-- this migration's one transaction.

-- AlterTable
ALTER TABLE "AuditEntry" ADD COLUMN     "lane" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "laneSeq" INTEGER;

-- DropTrigger
DROP TRIGGER "AuditEntry_append_only" ON "AuditEntry";

UPDATE "AuditEntry" SET "laneSeq" = "seq";

-- CreateTrigger
CREATE TRIGGER "AuditEntry_append_only"
    BEFORE UPDATE OR DELETE OR TRUNCATE ON "AuditEntry"
    FOR EACH STATEMENT EXECUTE FUNCTION "AuditEntry_refuse_change"();

-- AlterTable
ALTER TABLE "AuditEntry" ALTER COLUMN "laneSeq" SET NOT NULL;

-- Entries were given their seq by the app until now, so the column's sequence never moved:
-- from here the database gives it, after the last entry written.
SELECT setval(pg_get_serial_sequence('"AuditEntry"', 'seq'), COALESCE(MAX("seq"), 0) + 1, false) FROM "AuditEntry";

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_lane_laneSeq_key" ON "AuditEntry"("lane", "laneSeq");
