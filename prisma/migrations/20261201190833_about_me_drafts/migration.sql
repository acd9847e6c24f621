-- CreateTable
CREATE TABLE "AboutMeDraft" (
    "userId" TEXT NOT NULL,
    "journey" TEXT NOT NULL,
    "answers" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("userId", "journey"),
    CONSTRAINT "AboutMeDraft_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
