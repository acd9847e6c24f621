-- CreateTable
CREATE TABLE "HomeMonitoringWeek" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedOn" TEXT NOT NULL,
    "endsOn" TEXT NOT NULL,
    "endedEarly" BOOLEAN NOT NULL DEFAULT false,
    "finishedAt" TIMESTAMP(3),
    "result" TEXT,
    "systolic" INTEGER,
    "diastolic" INTEGER,
    "readingCount" INTEGER,
    "daysThatCount" INTEGER,
    "readings" TEXT,
    "recalculatedAt" TIMESTAMP(3),

    CONSTRAINT "HomeMonitoringWeek_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HomeMonitoringWeek_userId_startedOn_idx" ON "HomeMonitoringWeek"("userId", "startedOn");

-- AddForeignKey
ALTER TABLE "HomeMonitoringWeek" ADD CONSTRAINT "HomeMonitoringWeek_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
