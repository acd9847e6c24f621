-- DropForeignKey
ALTER TABLE "UserActiveDay" DROP CONSTRAINT "UserActiveDay_userId_fkey";

-- DropForeignKey
ALTER TABLE "UserActiveMonth" DROP CONSTRAINT "UserActiveMonth_userId_fkey";

-- CreateIndex
CREATE INDEX "BloodPressureReading_deletedAt_idx" ON "BloodPressureReading"("deletedAt");
