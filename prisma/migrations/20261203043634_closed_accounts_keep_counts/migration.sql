-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_UserActiveDay" (
    "day" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    PRIMARY KEY ("day", "userId")
);
INSERT INTO "new_UserActiveDay" ("day", "userId") SELECT "day", "userId" FROM "UserActiveDay";
DROP TABLE "UserActiveDay";
ALTER TABLE "new_UserActiveDay" RENAME TO "UserActiveDay";
CREATE INDEX "UserActiveDay_userId_idx" ON "UserActiveDay"("userId");
CREATE TABLE "new_UserActiveMonth" (
    "month" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    PRIMARY KEY ("month", "userId")
);
INSERT INTO "new_UserActiveMonth" ("month", "userId") SELECT "month", "userId" FROM "UserActiveMonth";
DROP TABLE "UserActiveMonth";
ALTER TABLE "new_UserActiveMonth" RENAME TO "UserActiveMonth";
CREATE INDEX "UserActiveMonth_userId_idx" ON "UserActiveMonth"("userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "BloodPressureReading_deletedAt_idx" ON "BloodPressureReading"("deletedAt");
