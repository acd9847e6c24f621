-- CreateTable
CREATE TABLE "EngagementActivityTally" (
    "activityId" TEXT NOT NULL,
    "invitations" INTEGER NOT NULL DEFAULT 0,
    "responses" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "EngagementActivityTally_pkey" PRIMARY KEY ("activityId")
);

-- CreateTable
CREATE TABLE "EngagementAnswerTally" (
    "activityId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "valueKey" TEXT NOT NULL,
    "answers" INTEGER NOT NULL,

    CONSTRAINT "EngagementAnswerTally_pkey" PRIMARY KEY ("activityId","questionId","valueKey")
);

-- DropIndex
DROP INDEX "EngagementInvitation_sentAt_idx";

-- CreateIndex
CREATE INDEX "EngagementInvitation_sentAt_userId_idx" ON "EngagementInvitation"("sentAt", "userId");

-- CreateIndex
CREATE INDEX "EngagementResponse_activityId_submittedAt_id_idx" ON "EngagementResponse"("activityId", "submittedAt", "id");

-- AddForeignKey
ALTER TABLE "EngagementActivityTally" ADD CONSTRAINT "EngagementActivityTally_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "EngagementActivity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EngagementAnswerTally" ADD CONSTRAINT "EngagementAnswerTally_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "EngagementActivity"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written from here: functions and triggers are not part of the Prisma schema. They keep
-- the tallies exact whatever writes the rows (sending invitations and responses, merging and
-- closing accounts, deleting an activity). Bulk writes (the invitations of an activity, the answers of a
-- generated city) are counted once per statement, from its transition table. A response is
-- sent one at a time. \073 is a semicolon: the PostgreSQL driver adapter that replays migrations
-- for db:status splits a script at every semicolon, even inside a function body.

-- Backfill
INSERT INTO "EngagementActivityTally" ("activityId", "invitations", "responses")
SELECT a."id",
    (SELECT COUNT(*) FROM "EngagementInvitation" i WHERE i."activityId" = a."id"),
    (SELECT COUNT(*) FROM "EngagementResponse" r WHERE r."activityId" = a."id" AND r."submittedAt" IS NOT NULL)
FROM "EngagementActivity" a;

-- Backfill
INSERT INTO "EngagementAnswerTally" ("activityId", "questionId", "value", "valueKey", "answers")
SELECT r."activityId", a."questionId", a."value", md5(a."value"), COUNT(*)
FROM "EngagementAnswer" a JOIN "EngagementResponse" r ON r."id" = a."responseId"
WHERE r."submittedAt" IS NOT NULL
GROUP BY r."activityId", a."questionId", a."value";

-- CreateFunction
CREATE OR REPLACE FUNCTION "EngagementActivity_tally"() RETURNS trigger
LANGUAGE plpgsql AS E'BEGIN
    INSERT INTO "EngagementActivityTally" ("activityId") SELECT "id" FROM inserted\073
    RETURN NULL\073
END\073';

-- CreateTrigger
CREATE TRIGGER "EngagementActivity_tally"
    AFTER INSERT ON "EngagementActivity" REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION "EngagementActivity_tally"();

-- CreateFunction
CREATE OR REPLACE FUNCTION "EngagementInvitation_tally_insert"() RETURNS trigger
LANGUAGE plpgsql AS E'BEGIN
    UPDATE "EngagementActivityTally" t SET "invitations" = t."invitations" + n.count
    FROM (SELECT "activityId", COUNT(*) AS count FROM inserted GROUP BY "activityId") n WHERE t."activityId" = n."activityId"\073
    RETURN NULL\073
END\073';

-- CreateTrigger
CREATE TRIGGER "EngagementInvitation_tally_insert"
    AFTER INSERT ON "EngagementInvitation" REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION "EngagementInvitation_tally_insert"();

-- CreateFunction
CREATE OR REPLACE FUNCTION "EngagementInvitation_tally_delete"() RETURNS trigger
LANGUAGE plpgsql AS E'BEGIN
    UPDATE "EngagementActivityTally" t SET "invitations" = t."invitations" - o.count
    FROM (SELECT "activityId", COUNT(*) AS count FROM deleted GROUP BY "activityId") o
    WHERE t."activityId" = o."activityId" AND EXISTS (SELECT 1 FROM "EngagementActivity" a WHERE a."id" = t."activityId")\073
    RETURN NULL\073
END\073';

-- CreateTrigger
-- When the activity itself is deleted its tally goes with it (cascade): a tally row is not
-- changed then, as PostgreSQL would check a row changed twice in one transaction against the
-- activity, which is gone. The same holds for responses deleted with their activity.
CREATE TRIGGER "EngagementInvitation_tally_delete"
    AFTER DELETE ON "EngagementInvitation" REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION "EngagementInvitation_tally_delete"();

-- CreateFunction
-- Only a change of activity changes a tally (merging accounts changes the citizen).
CREATE OR REPLACE FUNCTION "EngagementInvitation_tally_update"() RETURNS trigger
LANGUAGE plpgsql AS E'BEGIN
    UPDATE "EngagementActivityTally" t SET "invitations" = t."invitations" + d.change
    FROM (
        SELECT "activityId", SUM(change) AS change
        FROM (SELECT "activityId", 1 AS change FROM updated UNION ALL SELECT "activityId", -1 FROM before_update) c
        GROUP BY "activityId" HAVING SUM(change) <> 0
    ) d WHERE t."activityId" = d."activityId"\073
    RETURN NULL\073
END\073';

-- CreateTrigger
CREATE TRIGGER "EngagementInvitation_tally_update"
    AFTER UPDATE ON "EngagementInvitation" REFERENCING OLD TABLE AS before_update NEW TABLE AS updated
    FOR EACH STATEMENT EXECUTE FUNCTION "EngagementInvitation_tally_update"();

-- CreateFunction
-- A response counts while it is sent. Its answers come after it (EngagementAnswer_tally_insert).
CREATE OR REPLACE FUNCTION "EngagementResponse_tally_insert"() RETURNS trigger
LANGUAGE plpgsql AS E'BEGIN
    UPDATE "EngagementActivityTally" t SET "responses" = t."responses" + n.count
    FROM (SELECT "activityId", COUNT(*) AS count FROM inserted WHERE "submittedAt" IS NOT NULL GROUP BY "activityId") n
    WHERE t."activityId" = n."activityId"\073
    RETURN NULL\073
END\073';

-- CreateTrigger
CREATE TRIGGER "EngagementResponse_tally_insert"
    AFTER INSERT ON "EngagementResponse" REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION "EngagementResponse_tally_insert"();

-- CreateFunction
-- Sent (or, in principle, unsent or moved): what it counted as it was is taken away, and what
-- it counts as it is added. Also run before a sent response is deleted (its answers go with it,
-- after which they can no longer be counted out), with NEW null.
CREATE OR REPLACE FUNCTION "EngagementResponse_tally_change"() RETURNS trigger
LANGUAGE plpgsql AS E'BEGIN
    IF TG_OP = ''DELETE'' AND NOT EXISTS (SELECT 1 FROM "EngagementActivity" WHERE "id" = OLD."activityId") THEN
        RETURN OLD\073
    END IF\073
    IF OLD."submittedAt" IS NOT NULL THEN
        UPDATE "EngagementActivityTally" SET "responses" = "responses" - 1 WHERE "activityId" = OLD."activityId"\073
        UPDATE "EngagementAnswerTally" SET "answers" = "answers" - 1
        WHERE "activityId" = OLD."activityId"
            AND ("questionId", "valueKey") IN (SELECT "questionId", md5("value") FROM "EngagementAnswer" WHERE "responseId" = OLD."id")\073
        DELETE FROM "EngagementAnswerTally"
        WHERE "answers" = 0 AND "activityId" = OLD."activityId"
            AND ("questionId", "valueKey") IN (SELECT "questionId", md5("value") FROM "EngagementAnswer" WHERE "responseId" = OLD."id")\073
    END IF\073
    IF TG_OP = ''DELETE'' THEN
        RETURN OLD\073
    END IF\073
    IF NEW."submittedAt" IS NOT NULL THEN
        UPDATE "EngagementActivityTally" SET "responses" = "responses" + 1 WHERE "activityId" = NEW."activityId"\073
        INSERT INTO "EngagementAnswerTally" AS t ("activityId", "questionId", "value", "valueKey", "answers")
        SELECT NEW."activityId", "questionId", "value", md5("value"), 1 FROM "EngagementAnswer" WHERE "responseId" = NEW."id"
        ON CONFLICT ("activityId", "questionId", "valueKey") DO UPDATE SET "answers" = t."answers" + 1\073
    END IF\073
    RETURN NULL\073
END\073';

-- CreateTrigger
CREATE TRIGGER "EngagementResponse_tally_update"
    AFTER UPDATE OF "submittedAt", "activityId" ON "EngagementResponse"
    FOR EACH ROW WHEN ((OLD."submittedAt" IS NULL) <> (NEW."submittedAt" IS NULL) OR OLD."activityId" <> NEW."activityId")
    EXECUTE FUNCTION "EngagementResponse_tally_change"();

-- CreateTrigger
CREATE TRIGGER "EngagementResponse_tally_delete"
    BEFORE DELETE ON "EngagementResponse"
    FOR EACH ROW WHEN (OLD."submittedAt" IS NOT NULL)
    EXECUTE FUNCTION "EngagementResponse_tally_change"();

-- CreateFunction
-- Answers of sent responses (answers to a draft are counted when it is sent).
CREATE OR REPLACE FUNCTION "EngagementAnswer_tally_insert"() RETURNS trigger
LANGUAGE plpgsql AS E'BEGIN
    INSERT INTO "EngagementAnswerTally" AS t ("activityId", "questionId", "value", "valueKey", "answers")
    SELECT r."activityId", n."questionId", n."value", md5(n."value"), COUNT(*)
    FROM inserted n JOIN "EngagementResponse" r ON r."id" = n."responseId" AND r."submittedAt" IS NOT NULL
    GROUP BY r."activityId", n."questionId", n."value"
    ON CONFLICT ("activityId", "questionId", "valueKey") DO UPDATE SET "answers" = t."answers" + EXCLUDED."answers"\073
    RETURN NULL\073
END\073';

-- CreateTrigger
CREATE TRIGGER "EngagementAnswer_tally_insert"
    AFTER INSERT ON "EngagementAnswer" REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION "EngagementAnswer_tally_insert"();

-- CreateFunction
-- Answers deleted with their response find it gone and leave the tally alone:
-- EngagementResponse_tally_delete counted them out.
CREATE OR REPLACE FUNCTION "EngagementAnswer_tally_delete"() RETURNS trigger
LANGUAGE plpgsql AS E'BEGIN
    WITH gone AS (
        SELECT r."activityId", o."questionId", md5(o."value") AS "valueKey", COUNT(*) AS count
        FROM deleted o JOIN "EngagementResponse" r ON r."id" = o."responseId" AND r."submittedAt" IS NOT NULL
        GROUP BY r."activityId", o."questionId", md5(o."value")
    )
    UPDATE "EngagementAnswerTally" t SET "answers" = t."answers" - gone.count
    FROM gone WHERE (t."activityId", t."questionId", t."valueKey") = (gone."activityId", gone."questionId", gone."valueKey")\073
    DELETE FROM "EngagementAnswerTally" t USING deleted o JOIN "EngagementResponse" r ON r."id" = o."responseId" AND r."submittedAt" IS NOT NULL
    WHERE t."answers" = 0 AND (t."activityId", t."questionId", t."valueKey") = (r."activityId", o."questionId", md5(o."value"))\073
    RETURN NULL\073
END\073';

-- CreateTrigger
CREATE TRIGGER "EngagementAnswer_tally_delete"
    AFTER DELETE ON "EngagementAnswer" REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION "EngagementAnswer_tally_delete"();

-- CreateFunction
CREATE OR REPLACE FUNCTION "EngagementAnswer_tally_update"() RETURNS trigger
LANGUAGE plpgsql AS E'BEGIN
    UPDATE "EngagementAnswerTally" SET "answers" = "answers" - 1
    WHERE "questionId" = OLD."questionId" AND "valueKey" = md5(OLD."value")
        AND "activityId" = (SELECT r."activityId" FROM "EngagementResponse" r WHERE r."id" = OLD."responseId" AND r."submittedAt" IS NOT NULL)\073
    DELETE FROM "EngagementAnswerTally"
    WHERE "answers" = 0 AND "questionId" = OLD."questionId" AND "valueKey" = md5(OLD."value")
        AND "activityId" = (SELECT r."activityId" FROM "EngagementResponse" r WHERE r."id" = OLD."responseId" AND r."submittedAt" IS NOT NULL)\073
    INSERT INTO "EngagementAnswerTally" AS t ("activityId", "questionId", "value", "valueKey", "answers")
    SELECT r."activityId", NEW."questionId", NEW."value", md5(NEW."value"), 1 FROM "EngagementResponse" r
    WHERE r."id" = NEW."responseId" AND r."submittedAt" IS NOT NULL
    ON CONFLICT ("activityId", "questionId", "valueKey") DO UPDATE SET "answers" = t."answers" + 1\073
    RETURN NULL\073
END\073';

-- CreateTrigger
CREATE TRIGGER "EngagementAnswer_tally_update"
    AFTER UPDATE OF "responseId", "questionId", "value" ON "EngagementAnswer"
    FOR EACH ROW EXECUTE FUNCTION "EngagementAnswer_tally_update"();
