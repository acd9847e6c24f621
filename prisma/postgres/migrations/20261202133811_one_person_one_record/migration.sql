-- AlterTable
ALTER TABLE "CareRecordLink" ADD COLUMN     "patientVersion" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "verifiedPostcode" TEXT;

-- CreateTable
CREATE TABLE "IdentityLink" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "provider" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "mergedUserId" TEXT,
    "detail" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "IdentityLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "IdentityLink_userId_at_idx" ON "IdentityLink"("userId", "at");

-- AddForeignKey
ALTER TABLE "IdentityLink" ADD CONSTRAINT "IdentityLink_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
