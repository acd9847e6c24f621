-- CreateTable
CREATE TABLE "BloodPressureReading" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "measuredAt" DATETIME NOT NULL,
    "systolic" INTEGER NOT NULL,
    "diastolic" INTEGER NOT NULL,
    "pulse" INTEGER,
    "arm" TEXT NOT NULL,
    "sitting" BOOLEAN NOT NULL,
    "pairId" TEXT,
    "deletedAt" DATETIME,
    CONSTRAINT "BloodPressureReading_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TopThingsVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "items" TEXT NOT NULL,
    CONSTRAINT "TopThingsVersion_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LongTermCondition" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "addedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "code" TEXT,
    "name" TEXT NOT NULL,
    CONSTRAINT "LongTermCondition_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CommunicationNeeds" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "updatedAt" DATETIME NOT NULL,
    "formats" TEXT NOT NULL,
    "interpreterLanguage" TEXT,
    "carerName" TEXT,
    "carerContact" TEXT,
    "otherNeeds" TEXT,
    CONSTRAINT "CommunicationNeeds_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SharingConsent" (
    "userId" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "shared" BOOLEAN NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("userId", "category"),
    CONSTRAINT "SharingConsent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "citizenId" TEXT,
    "actorKind" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT,
    "actorOrganisation" TEXT,
    "actorRole" TEXT,
    "action" TEXT NOT NULL,
    "category" TEXT,
    "reason" TEXT,
    "detail" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "BloodPressureReading_userId_deletedAt_measuredAt_idx" ON "BloodPressureReading"("userId", "deletedAt", "measuredAt");

-- CreateIndex
CREATE INDEX "TopThingsVersion_userId_createdAt_idx" ON "TopThingsVersion"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "LongTermCondition_userId_idx" ON "LongTermCondition"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_hash_key" ON "AuditEntry"("hash");

-- CreateIndex
CREATE INDEX "AuditEntry_citizenId_at_idx" ON "AuditEntry"("citizenId", "at");

-- CreateIndex
CREATE INDEX "AuditEntry_action_at_idx" ON "AuditEntry"("action", "at");
