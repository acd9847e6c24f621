-- CreateTable
CREATE TABLE "EngagementInvitationCount" (
    "activityId" TEXT NOT NULL PRIMARY KEY,
    "eligible" INTEGER NOT NULL,
    "alreadyInvited" INTEGER NOT NULL,
    "notWanted" INTEGER NOT NULL,
    "notInAudience" INTEGER NOT NULL,
    "topics" INTEGER NOT NULL,
    "method" INTEGER NOT NULL,
    "monthlyLimit" INTEGER NOT NULL,
    "countedAt" DATETIME NOT NULL,
    "claimedUntil" DATETIME,
    CONSTRAINT "EngagementInvitationCount_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "EngagementActivity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
