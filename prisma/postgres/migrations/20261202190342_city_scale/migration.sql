-- CreateTable
CREATE TABLE "RateLimitBucket" (
    "key" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RateLimitBucket_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "UserActiveDay" (
    "day" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    CONSTRAINT "UserActiveDay_pkey" PRIMARY KEY ("day","userId")
);

-- CreateTable
CREATE TABLE "RollupState" (
    "name" TEXT NOT NULL,
    "watermark" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RollupState_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "RateLimitBucket_at_idx" ON "RateLimitBucket"("at");

-- CreateIndex
CREATE INDEX "UserActiveDay_userId_idx" ON "UserActiveDay"("userId");

-- CreateIndex
CREATE INDEX "EngagementInvitation_sentAt_idx" ON "EngagementInvitation"("sentAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_createdAt_idx" ON "OutboxMessage"("status", "createdAt");

-- CreateIndex
CREATE INDEX "User_nhsNumber_idx" ON "User"("nhsNumber");

-- CreateIndex
CREATE INDEX "User_birthDate_familyName_givenName_idx" ON "User"("birthDate", "familyName", "givenName");

-- CreateIndex
CREATE INDEX "User_registeredAt_idx" ON "User"("registeredAt");

-- AddForeignKey
ALTER TABLE "UserActiveDay" ADD CONSTRAINT "UserActiveDay_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
