-- CreateTable
CREATE TABLE "HomeMonitoringWeek" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedOn" TEXT NOT NULL,
    "endsOn" TEXT NOT NULL,
    "endedEarly" BOOLEAN NOT NULL DEFAULT false,
    "finishedAt" DATETIME,
    "result" TEXT,
    "systolic" INTEGER,
    "diastolic" INTEGER,
    "readingCount" INTEGER,
    "daysThatCount" INTEGER,
    "readings" TEXT,
    "recalculatedAt" DATETIME,
    CONSTRAINT "HomeMonitoringWeek_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "HomeMonitoringWeek_userId_startedOn_idx" ON "HomeMonitoringWeek"("userId", "startedOn");
