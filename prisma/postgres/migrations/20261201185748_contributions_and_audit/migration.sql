-- CreateTable
CREATE TABLE "BloodPressureReading" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "measuredAt" TIMESTAMP(3) NOT NULL,
    "systolic" INTEGER NOT NULL,
    "diastolic" INTEGER NOT NULL,
    "pulse" INTEGER,
    "arm" TEXT NOT NULL,
    "sitting" BOOLEAN NOT NULL,
    "pairId" TEXT,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "BloodPressureReading_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TopThingsVersion" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "items" TEXT NOT NULL,

    CONSTRAINT "TopThingsVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LongTermCondition" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "code" TEXT,
    "name" TEXT NOT NULL,

    CONSTRAINT "LongTermCondition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommunicationNeeds" (
    "userId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "formats" TEXT NOT NULL,
    "interpreterLanguage" TEXT,
    "carerName" TEXT,
    "carerContact" TEXT,
    "otherNeeds" TEXT,

    CONSTRAINT "CommunicationNeeds_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "SharingConsent" (
    "userId" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "shared" BOOLEAN NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SharingConsent_pkey" PRIMARY KEY ("userId","category")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "seq" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
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
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("seq")
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

-- AddForeignKey
ALTER TABLE "BloodPressureReading" ADD CONSTRAINT "BloodPressureReading_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TopThingsVersion" ADD CONSTRAINT "TopThingsVersion_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LongTermCondition" ADD CONSTRAINT "LongTermCondition_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommunicationNeeds" ADD CONSTRAINT "CommunicationNeeds_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SharingConsent" ADD CONSTRAINT "SharingConsent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
