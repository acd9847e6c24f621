/*
  Warnings:

  - You are about to drop the `AboutMeDraft` table. If the table is not empty, all the data it contains will be lost.
  - You are about to drop the `ContactDetailsDraft` table. If the table is not empty, all the data it contains will be lost.

*/
-- One draft store for every journey (lib/platform/drafts.ts). Drafts are short-lived: answers
-- in progress when this is deployed are not carried over, and the citizen answers again.

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "AboutMeDraft";
PRAGMA foreign_keys=on;

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "ContactDetailsDraft";
PRAGMA foreign_keys=on;

-- CreateTable
CREATE TABLE "Draft" (
    "userId" TEXT NOT NULL,
    "journey" TEXT NOT NULL,
    "answers" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,

    PRIMARY KEY ("userId", "journey"),
    CONSTRAINT "Draft_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Draft_updatedAt_idx" ON "Draft"("updatedAt");
