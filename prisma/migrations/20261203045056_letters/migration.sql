-- CreateTable
CREATE TABLE "Letter" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "senderId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "letterDate" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "html" TEXT NOT NULL,
    "pdf" BLOB NOT NULL,
    "pdfBytes" INTEGER NOT NULL,
    "readAt" DATETIME,
    "postRequestedAt" DATETIME,
    "postedReason" TEXT,
    CONSTRAINT "Letter_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "UsedNonce" (
    "organisationId" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "usedAt" DATETIME NOT NULL,

    PRIMARY KEY ("organisationId", "nonce")
);

-- CreateIndex
CREATE INDEX "Letter_userId_receivedAt_idx" ON "Letter"("userId", "receivedAt");

-- CreateIndex
CREATE INDEX "Letter_receivedAt_idx" ON "Letter"("receivedAt");

-- CreateIndex
CREATE INDEX "Letter_postRequestedAt_readAt_receivedAt_idx" ON "Letter"("postRequestedAt", "readAt", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Letter_senderId_idempotencyKey_key" ON "Letter"("senderId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "UsedNonce_usedAt_idx" ON "UsedNonce"("usedAt");
