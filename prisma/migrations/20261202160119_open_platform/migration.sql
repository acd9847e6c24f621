-- AlterTable
ALTER TABLE "BloodPressureReading" ADD COLUMN "addedByAppId" TEXT;

-- CreateTable
CREATE TABLE "App" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "publisher" TEXT NOT NULL,
    "redirectUris" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "privacyPolicyUrl" TEXT NOT NULL,
    "clientType" TEXT NOT NULL,
    "jwks" TEXT,
    "registeredAt" DATETIME NOT NULL,
    "registeredBy" TEXT NOT NULL,
    "withdrawnAt" DATETIME
);

-- CreateTable
CREATE TABLE "AppConnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "grantId" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "connectedAt" DATETIME NOT NULL,
    "lastUsedAt" DATETIME,
    "disconnectedAt" DATETIME
);

-- CreateTable
CREATE TABLE "OAuthRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "model" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "grantId" TEXT,
    "uid" TEXT,
    "userCode" TEXT,
    "expiresAt" DATETIME,
    "consumedAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "AppConnection_grantId_key" ON "AppConnection"("grantId");

-- CreateIndex
CREATE INDEX "AppConnection_userId_appId_idx" ON "AppConnection"("userId", "appId");

-- CreateIndex
CREATE INDEX "OAuthRecord_grantId_idx" ON "OAuthRecord"("grantId");

-- CreateIndex
CREATE INDEX "OAuthRecord_uid_idx" ON "OAuthRecord"("uid");

-- CreateIndex
CREATE INDEX "OAuthRecord_expiresAt_idx" ON "OAuthRecord"("expiresAt");
