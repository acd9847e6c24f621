-- AlterTable
ALTER TABLE "BloodPressureReading" ADD COLUMN     "enteredByName" TEXT,
ADD COLUMN     "enteredByRelationship" TEXT;

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "actingForId" TEXT,
ADD COLUMN     "actingSince" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "heldForPersonSince" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ProxyAccess" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "proxyId" TEXT,
    "basis" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "permissions" TEXT NOT NULL,
    "invitedName" TEXT,
    "invitedEmail" TEXT,
    "invitedMobile" TEXT,
    "invitationTokenHash" TEXT,
    "invitationExpiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acceptedAt" TIMESTAMP(3),
    "endsAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "endedReason" TEXT,
    "requestDetail" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decidedByStaffId" TEXT,
    "decidedByName" TEXT,
    "decidedByOrganisation" TEXT,
    "decisionReason" TEXT,

    CONSTRAINT "ProxyAccess_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProxyAccess_invitationTokenHash_key" ON "ProxyAccess"("invitationTokenHash");

-- CreateIndex
CREATE INDEX "ProxyAccess_personId_status_idx" ON "ProxyAccess"("personId", "status");

-- CreateIndex
CREATE INDEX "ProxyAccess_proxyId_status_idx" ON "ProxyAccess"("proxyId", "status");

-- CreateIndex
CREATE INDEX "ProxyAccess_status_createdAt_idx" ON "ProxyAccess"("status", "createdAt");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_actingForId_fkey" FOREIGN KEY ("actingForId") REFERENCES "ProxyAccess"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProxyAccess" ADD CONSTRAINT "ProxyAccess_personId_fkey" FOREIGN KEY ("personId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProxyAccess" ADD CONSTRAINT "ProxyAccess_proxyId_fkey" FOREIGN KEY ("proxyId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
