-- CreateTable
CREATE TABLE "EngagementInvitationSend" (
    "activityId" TEXT NOT NULL PRIMARY KEY,
    "status" TEXT NOT NULL,
    "askedAt" DATETIME NOT NULL,
    "askedBy" TEXT NOT NULL,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "claimedUntil" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "invited" INTEGER,
    CONSTRAINT "EngagementInvitationSend_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "EngagementActivity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "EngagementInvitationSend_status_askedAt_idx" ON "EngagementInvitationSend"("status", "askedAt");
