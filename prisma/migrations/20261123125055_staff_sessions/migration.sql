-- CreateTable
CREATE TABLE "StaffSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "subject" TEXT NOT NULL,
    "givenName" TEXT NOT NULL,
    "familyName" TEXT NOT NULL,
    "organisationCode" TEXT NOT NULL,
    "organisationName" TEXT NOT NULL,
    "jobRole" TEXT NOT NULL,
    "roles" TEXT NOT NULL,
    "idToken" TEXT NOT NULL,
    "idleSeconds" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL,
    "absoluteExpiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "StaffSession_subject_idx" ON "StaffSession"("subject");
