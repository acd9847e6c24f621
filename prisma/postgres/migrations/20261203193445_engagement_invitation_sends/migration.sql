-- CreateTable
CREATE TABLE "EngagementInvitationSend" (
    "activityId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "askedAt" TIMESTAMP(3) NOT NULL,
    "askedBy" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "claimedUntil" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "invited" INTEGER,

    CONSTRAINT "EngagementInvitationSend_pkey" PRIMARY KEY ("activityId")
);

-- CreateIndex
CREATE INDEX "EngagementInvitationSend_status_askedAt_idx" ON "EngagementInvitationSend"("status", "askedAt");

-- AddForeignKey
ALTER TABLE "EngagementInvitationSend" ADD CONSTRAINT "EngagementInvitationSend_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "EngagementActivity"("id") ON DELETE CASCADE ON UPDATE CASCADE;
