-- CreateTable
CREATE TABLE "RateLimitBucket" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "tokens" REAL NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "UserActiveDay" (
    "day" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    PRIMARY KEY ("day", "userId"),
    CONSTRAINT "UserActiveDay_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RollupState" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "watermark" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
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
