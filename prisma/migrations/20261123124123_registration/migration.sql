-- AlterTable
ALTER TABLE "Session" ADD COLUMN "registrationDetailsConfirmedAt" DATETIME;
ALTER TABLE "Session" ADD COLUMN "registrationTermsVersion" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN "consentVersion" TEXT;
ALTER TABLE "User" ADD COLUMN "consentedAt" DATETIME;
ALTER TABLE "User" ADD COLUMN "registeredAt" DATETIME;
