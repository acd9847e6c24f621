-- CreateTable
CREATE TABLE "EngagementActivityTally" (
    "activityId" TEXT NOT NULL PRIMARY KEY,
    "invitations" INTEGER NOT NULL DEFAULT 0,
    "responses" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "EngagementActivityTally_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "EngagementActivity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EngagementAnswerTally" (
    "activityId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "valueKey" TEXT NOT NULL,
    "answers" INTEGER NOT NULL,

    PRIMARY KEY ("activityId", "questionId", "valueKey"),
    CONSTRAINT "EngagementAnswerTally_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "EngagementActivity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- DropIndex
DROP INDEX "EngagementInvitation_sentAt_idx";

-- CreateIndex
CREATE INDEX "EngagementInvitation_sentAt_userId_idx" ON "EngagementInvitation"("sentAt", "userId");

-- CreateIndex
CREATE INDEX "EngagementResponse_activityId_submittedAt_id_idx" ON "EngagementResponse"("activityId", "submittedAt", "id");

-- Hand-written from here: triggers are not part of the Prisma schema. They keep the tallies
-- exact whatever writes the rows (sending invitations and responses, merging and closing
-- accounts, deleting an activity). SQLite rebuilds a table to alter it, which drops its
-- triggers: a later migration that rebuilds "EngagementActivity", "EngagementInvitation",
-- "EngagementResponse" or "EngagementAnswer" must create its triggers here again
-- (lib/engagement/tallies.db.test.ts fails without them).

-- Backfill
INSERT INTO "EngagementActivityTally" ("activityId", "invitations", "responses")
SELECT a."id",
    (SELECT COUNT(*) FROM "EngagementInvitation" i WHERE i."activityId" = a."id"),
    (SELECT COUNT(*) FROM "EngagementResponse" r WHERE r."activityId" = a."id" AND r."submittedAt" IS NOT NULL)
FROM "EngagementActivity" a;

-- Backfill
INSERT INTO "EngagementAnswerTally" ("activityId", "questionId", "value", "valueKey", "answers")
SELECT r."activityId", a."questionId", a."value", a."value", COUNT(*)
FROM "EngagementAnswer" a JOIN "EngagementResponse" r ON r."id" = a."responseId"
WHERE r."submittedAt" IS NOT NULL
GROUP BY r."activityId", a."questionId", a."value";

-- CreateTrigger
CREATE TRIGGER "EngagementActivity_tally" AFTER INSERT ON "EngagementActivity"
BEGIN
    INSERT INTO "EngagementActivityTally" ("activityId") VALUES (NEW."id");
END;

-- CreateTrigger
CREATE TRIGGER "EngagementInvitation_tally_insert" AFTER INSERT ON "EngagementInvitation"
BEGIN
    UPDATE "EngagementActivityTally" SET "invitations" = "invitations" + 1 WHERE "activityId" = NEW."activityId";
END;

-- CreateTrigger
CREATE TRIGGER "EngagementInvitation_tally_delete" AFTER DELETE ON "EngagementInvitation"
BEGIN
    UPDATE "EngagementActivityTally" SET "invitations" = "invitations" - 1 WHERE "activityId" = OLD."activityId";
END;

-- CreateTrigger
CREATE TRIGGER "EngagementInvitation_tally_update" AFTER UPDATE OF "activityId" ON "EngagementInvitation"
WHEN OLD."activityId" <> NEW."activityId"
BEGIN
    UPDATE "EngagementActivityTally" SET "invitations" = "invitations" - 1 WHERE "activityId" = OLD."activityId";
    UPDATE "EngagementActivityTally" SET "invitations" = "invitations" + 1 WHERE "activityId" = NEW."activityId";
END;

-- CreateTrigger
-- A response counts while it is sent. Its answers come after it (EngagementAnswer_tally_insert).
CREATE TRIGGER "EngagementResponse_tally_insert" AFTER INSERT ON "EngagementResponse"
WHEN NEW."submittedAt" IS NOT NULL
BEGIN
    UPDATE "EngagementActivityTally" SET "responses" = "responses" + 1 WHERE "activityId" = NEW."activityId";
END;

-- CreateTrigger
-- Sent (or, in principle, unsent or moved): what it counted as it was is taken away, and what it counts as it is added.
CREATE TRIGGER "EngagementResponse_tally_update" AFTER UPDATE OF "submittedAt", "activityId" ON "EngagementResponse"
WHEN (OLD."submittedAt" IS NULL) <> (NEW."submittedAt" IS NULL) OR OLD."activityId" <> NEW."activityId"
BEGIN
    UPDATE "EngagementActivityTally" SET "responses" = "responses" - 1 WHERE "activityId" = OLD."activityId" AND OLD."submittedAt" IS NOT NULL;
    UPDATE "EngagementAnswerTally" SET "answers" = "answers" - 1
    WHERE OLD."submittedAt" IS NOT NULL AND "activityId" = OLD."activityId"
        AND ("questionId", "valueKey") IN (SELECT "questionId", "value" FROM "EngagementAnswer" WHERE "responseId" = NEW."id");
    DELETE FROM "EngagementAnswerTally"
    WHERE "answers" = 0 AND "activityId" = OLD."activityId"
        AND ("questionId", "valueKey") IN (SELECT "questionId", "value" FROM "EngagementAnswer" WHERE "responseId" = NEW."id");
    UPDATE "EngagementActivityTally" SET "responses" = "responses" + 1 WHERE "activityId" = NEW."activityId" AND NEW."submittedAt" IS NOT NULL;
    INSERT INTO "EngagementAnswerTally" ("activityId", "questionId", "value", "valueKey", "answers")
    SELECT NEW."activityId", "questionId", "value", "value", 1 FROM "EngagementAnswer"
    WHERE "responseId" = NEW."id" AND NEW."submittedAt" IS NOT NULL
    ON CONFLICT ("activityId", "questionId", "valueKey") DO UPDATE SET "answers" = "answers" + 1;
END;

-- CreateTrigger
-- Before: its answers are deleted with it (cascade), after which they can no longer be counted out.
CREATE TRIGGER "EngagementResponse_tally_delete" BEFORE DELETE ON "EngagementResponse"
WHEN OLD."submittedAt" IS NOT NULL
BEGIN
    UPDATE "EngagementActivityTally" SET "responses" = "responses" - 1 WHERE "activityId" = OLD."activityId";
    UPDATE "EngagementAnswerTally" SET "answers" = "answers" - 1
    WHERE "activityId" = OLD."activityId"
        AND ("questionId", "valueKey") IN (SELECT "questionId", "value" FROM "EngagementAnswer" WHERE "responseId" = OLD."id");
    DELETE FROM "EngagementAnswerTally"
    WHERE "answers" = 0 AND "activityId" = OLD."activityId"
        AND ("questionId", "valueKey") IN (SELECT "questionId", "value" FROM "EngagementAnswer" WHERE "responseId" = OLD."id");
END;

-- CreateTrigger
-- Answers of a sent response (answers to a draft are counted when it is sent). Answers deleted
-- with their response find it gone and leave the tally alone: EngagementResponse_tally_delete did it.
CREATE TRIGGER "EngagementAnswer_tally_insert" AFTER INSERT ON "EngagementAnswer"
BEGIN
    INSERT INTO "EngagementAnswerTally" ("activityId", "questionId", "value", "valueKey", "answers")
    SELECT r."activityId", NEW."questionId", NEW."value", NEW."value", 1 FROM "EngagementResponse" r
    WHERE r."id" = NEW."responseId" AND r."submittedAt" IS NOT NULL
    ON CONFLICT ("activityId", "questionId", "valueKey") DO UPDATE SET "answers" = "answers" + 1;
END;

-- CreateTrigger
CREATE TRIGGER "EngagementAnswer_tally_update" AFTER UPDATE OF "responseId", "questionId", "value" ON "EngagementAnswer"
BEGIN
    UPDATE "EngagementAnswerTally" SET "answers" = "answers" - 1
    WHERE "questionId" = OLD."questionId" AND "valueKey" = OLD."value"
        AND "activityId" = (SELECT r."activityId" FROM "EngagementResponse" r WHERE r."id" = OLD."responseId" AND r."submittedAt" IS NOT NULL);
    DELETE FROM "EngagementAnswerTally"
    WHERE "answers" = 0 AND "questionId" = OLD."questionId" AND "valueKey" = OLD."value"
        AND "activityId" = (SELECT r."activityId" FROM "EngagementResponse" r WHERE r."id" = OLD."responseId" AND r."submittedAt" IS NOT NULL);
    INSERT INTO "EngagementAnswerTally" ("activityId", "questionId", "value", "valueKey", "answers")
    SELECT r."activityId", NEW."questionId", NEW."value", NEW."value", 1 FROM "EngagementResponse" r
    WHERE r."id" = NEW."responseId" AND r."submittedAt" IS NOT NULL
    ON CONFLICT ("activityId", "questionId", "valueKey") DO UPDATE SET "answers" = "answers" + 1;
END;

-- CreateTrigger
CREATE TRIGGER "EngagementAnswer_tally_delete" AFTER DELETE ON "EngagementAnswer"
BEGIN
    UPDATE "EngagementAnswerTally" SET "answers" = "answers" - 1
    WHERE "questionId" = OLD."questionId" AND "valueKey" = OLD."value"
        AND "activityId" = (SELECT r."activityId" FROM "EngagementResponse" r WHERE r."id" = OLD."responseId" AND r."submittedAt" IS NOT NULL);
    DELETE FROM "EngagementAnswerTally"
    WHERE "answers" = 0 AND "questionId" = OLD."questionId" AND "valueKey" = OLD."value"
        AND "activityId" = (SELECT r."activityId" FROM "EngagementResponse" r WHERE r."id" = OLD."responseId" AND r."submittedAt" IS NOT NULL);
END;
