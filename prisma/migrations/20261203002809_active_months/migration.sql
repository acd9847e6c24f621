-- CreateTable
CREATE TABLE "UserActiveMonth" (
    "month" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    PRIMARY KEY ("month", "userId"),
    CONSTRAINT "UserActiveMonth_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "UserActiveMonth_userId_idx" ON "UserActiveMonth"("userId");

-- The months of the days already rolled up (lib/reporting/rollup.ts keeps both from now on).
INSERT INTO "UserActiveMonth" ("month", "userId")
SELECT DISTINCT substr("day", 1, 7), "userId" FROM "UserActiveDay";
