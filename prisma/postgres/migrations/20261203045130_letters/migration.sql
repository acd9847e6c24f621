-- CreateTable
CREATE TABLE "Letter" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "senderId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "letterDate" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "html" TEXT NOT NULL,
    "pdf" BYTEA NOT NULL,
    "pdfBytes" INTEGER NOT NULL,
    "readAt" TIMESTAMP(3),
    "postRequestedAt" TIMESTAMP(3),
    "postedReason" TEXT,

    CONSTRAINT "Letter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsedNonce" (
    "organisationId" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "usedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UsedNonce_pkey" PRIMARY KEY ("organisationId","nonce")
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

-- AddForeignKey
ALTER TABLE "Letter" ADD CONSTRAINT "Letter_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
