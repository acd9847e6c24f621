-- AlterTable
ALTER TABLE "BloodPressureReading" ADD COLUMN "enteredByName" TEXT;
ALTER TABLE "BloodPressureReading" ADD COLUMN "enteredByRelationship" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN "heldForPersonSince" DATETIME;

-- CreateTable
CREATE TABLE "ProxyAccess" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "proxyId" TEXT,
    "basis" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "permissions" TEXT NOT NULL,
    "invitedName" TEXT,
    "invitedEmail" TEXT,
    "invitedMobile" TEXT,
    "invitationTokenHash" TEXT,
    "invitationExpiresAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acceptedAt" DATETIME,
    "endsAt" DATETIME,
    "endedAt" DATETIME,
    "endedReason" TEXT,
    "requestDetail" TEXT,
    "decidedAt" DATETIME,
    "decidedByStaffId" TEXT,
    "decidedByName" TEXT,
    "decidedByOrganisation" TEXT,
    "decisionReason" TEXT,
    CONSTRAINT "ProxyAccess_personId_fkey" FOREIGN KEY ("personId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ProxyAccess_proxyId_fkey" FOREIGN KEY ("proxyId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "idToken" TEXT NOT NULL,
    "sharedDevice" BOOLEAN NOT NULL,
    "idleSeconds" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL,
    "absoluteExpiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    "deviceKind" TEXT NOT NULL,
    "registrationTermsVersion" TEXT,
    "registrationDetailsConfirmedAt" DATETIME,
    "actingForId" TEXT,
    "actingSince" DATETIME,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Session_actingForId_fkey" FOREIGN KEY ("actingForId") REFERENCES "ProxyAccess" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Session" ("absoluteExpiresAt", "createdAt", "deviceKind", "id", "idToken", "idleSeconds", "lastSeenAt", "provider", "registrationDetailsConfirmedAt", "registrationTermsVersion", "revokedAt", "sharedDevice", "userId") SELECT "absoluteExpiresAt", "createdAt", "deviceKind", "id", "idToken", "idleSeconds", "lastSeenAt", "provider", "registrationDetailsConfirmedAt", "registrationTermsVersion", "revokedAt", "sharedDevice", "userId" FROM "Session";
DROP TABLE "Session";
ALTER TABLE "new_Session" RENAME TO "Session";
CREATE INDEX "Session_userId_idx" ON "Session"("userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ProxyAccess_invitationTokenHash_key" ON "ProxyAccess"("invitationTokenHash");

-- CreateIndex
CREATE INDEX "ProxyAccess_personId_status_idx" ON "ProxyAccess"("personId", "status");

-- CreateIndex
CREATE INDEX "ProxyAccess_proxyId_status_idx" ON "ProxyAccess"("proxyId", "status");

-- CreateIndex
CREATE INDEX "ProxyAccess_status_createdAt_idx" ON "ProxyAccess"("status", "createdAt");
