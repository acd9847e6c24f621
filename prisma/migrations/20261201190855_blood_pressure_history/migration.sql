-- CreateTable
CREATE TABLE "BloodPressureReadingChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "readingId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" TEXT NOT NULL,
    "before" TEXT,
    "after" TEXT
);

-- CreateIndex
CREATE INDEX "BloodPressureReadingChange_readingId_at_idx" ON "BloodPressureReadingChange"("readingId", "at");

-- CreateIndex
CREATE INDEX "BloodPressureReadingChange_userId_at_idx" ON "BloodPressureReadingChange"("userId", "at");
