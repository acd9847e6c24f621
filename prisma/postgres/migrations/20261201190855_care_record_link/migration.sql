-- CreateTable
CREATE TABLE "CareRecordLink" (
    "userId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "patientId" TEXT,
    "method" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,
    "recentChecks" INTEGER NOT NULL DEFAULT 0,
    "windowStartedAt" TIMESTAMP(3),

    CONSTRAINT "CareRecordLink_pkey" PRIMARY KEY ("userId")
);

-- AddForeignKey
ALTER TABLE "CareRecordLink" ADD CONSTRAINT "CareRecordLink_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
