-- CreateTable
CREATE TABLE "CareRecordLink" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "outcome" TEXT NOT NULL,
    "patientId" TEXT,
    "method" TEXT NOT NULL,
    "checkedAt" DATETIME NOT NULL,
    "recentChecks" INTEGER NOT NULL DEFAULT 0,
    "windowStartedAt" DATETIME,
    CONSTRAINT "CareRecordLink_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
