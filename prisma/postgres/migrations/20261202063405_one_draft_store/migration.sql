/*
  Warnings:

  - You are about to drop the `AboutMeDraft` table. If the table is not empty, all the data it contains will be lost.
  - You are about to drop the `ContactDetailsDraft` table. If the table is not empty, all the data it contains will be lost.

*/
-- One draft store for every journey (lib/platform/drafts.ts). Drafts are short-lived: answers
-- in progress when this is deployed are not carried over, and the citizen answers again.

-- DropForeignKey
ALTER TABLE "AboutMeDraft" DROP CONSTRAINT "AboutMeDraft_userId_fkey";

-- DropForeignKey
ALTER TABLE "ContactDetailsDraft" DROP CONSTRAINT "ContactDetailsDraft_userId_fkey";

-- DropTable
DROP TABLE "AboutMeDraft";

-- DropTable
DROP TABLE "ContactDetailsDraft";

-- CreateTable
CREATE TABLE "Draft" (
    "userId" TEXT NOT NULL,
    "journey" TEXT NOT NULL,
    "answers" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Draft_pkey" PRIMARY KEY ("userId","journey")
);

-- CreateIndex
CREATE INDEX "Draft_updatedAt_idx" ON "Draft"("updatedAt");

-- AddForeignKey
ALTER TABLE "Draft" ADD CONSTRAINT "Draft_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
