-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "registrationDetailsConfirmedAt" TIMESTAMP(3),
ADD COLUMN     "registrationTermsVersion" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "consentVersion" TEXT,
ADD COLUMN     "consentedAt" TIMESTAMP(3),
ADD COLUMN     "registeredAt" TIMESTAMP(3);
