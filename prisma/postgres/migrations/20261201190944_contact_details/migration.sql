-- CreateTable
CREATE TABLE "ContactPreference" (
    "userId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "channel" TEXT NOT NULL,
    "email" TEXT,
    "mobile" TEXT,
    "changeId" TEXT NOT NULL,

    CONSTRAINT "ContactPreference_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "FewerLettersChoice" (
    "userId" TEXT NOT NULL,
    "organisation" TEXT NOT NULL,
    "fewerLetters" BOOLEAN NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FewerLettersChoice_pkey" PRIMARY KEY ("userId","organisation")
);

-- CreateTable
CREATE TABLE "PostToDigitalSwitch" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fromChannel" TEXT NOT NULL,
    "toChannel" TEXT NOT NULL,

    CONSTRAINT "PostToDigitalSwitch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PostalAddress" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "line1" TEXT NOT NULL,
    "line2" TEXT,
    "town" TEXT NOT NULL,
    "county" TEXT,
    "postcode" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "uprn" TEXT,

    CONSTRAINT "PostalAddress_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContactDetailsDraft" (
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "answers" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContactDetailsDraft_pkey" PRIMARY KEY ("userId","kind")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "destination" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "lockedBy" TEXT,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ContactPreference_changeId_key" ON "ContactPreference"("changeId");

-- CreateIndex
CREATE INDEX "PostToDigitalSwitch_at_idx" ON "PostToDigitalSwitch"("at");

-- CreateIndex
CREATE INDEX "PostalAddress_userId_createdAt_idx" ON "PostalAddress"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_idempotencyKey_key" ON "OutboxMessage"("idempotencyKey");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_userId_subjectId_idx" ON "OutboxMessage"("userId", "subjectId");

-- AddForeignKey
ALTER TABLE "ContactPreference" ADD CONSTRAINT "ContactPreference_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FewerLettersChoice" ADD CONSTRAINT "FewerLettersChoice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PostalAddress" ADD CONSTRAINT "PostalAddress_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactDetailsDraft" ADD CONSTRAINT "ContactDetailsDraft_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
