-- CreateTable
CREATE TABLE "AboutMeDraft" (
    "userId" TEXT NOT NULL,
    "journey" TEXT NOT NULL,
    "answers" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AboutMeDraft_pkey" PRIMARY KEY ("userId","journey")
);

-- AddForeignKey
ALTER TABLE "AboutMeDraft" ADD CONSTRAINT "AboutMeDraft_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
