-- CreateTable
CREATE TABLE "EngagementInvitationCount" (
    "activityId" TEXT NOT NULL,
    "eligible" INTEGER NOT NULL,
    "alreadyInvited" INTEGER NOT NULL,
    "notWanted" INTEGER NOT NULL,
    "notInAudience" INTEGER NOT NULL,
    "topics" INTEGER NOT NULL,
    "method" INTEGER NOT NULL,
    "monthlyLimit" INTEGER NOT NULL,
    "countedAt" TIMESTAMP(3) NOT NULL,
    "claimedUntil" TIMESTAMP(3),

    CONSTRAINT "EngagementInvitationCount_pkey" PRIMARY KEY ("activityId")
);

-- AddForeignKey
ALTER TABLE "EngagementInvitationCount" ADD CONSTRAINT "EngagementInvitationCount_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "EngagementActivity"("id") ON DELETE CASCADE ON UPDATE CASCADE;
