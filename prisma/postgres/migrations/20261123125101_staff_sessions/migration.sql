-- CreateTable
CREATE TABLE "StaffSession" (
    "id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "givenName" TEXT NOT NULL,
    "familyName" TEXT NOT NULL,
    "organisationCode" TEXT NOT NULL,
    "organisationName" TEXT NOT NULL,
    "jobRole" TEXT NOT NULL,
    "roles" TEXT NOT NULL,
    "idToken" TEXT NOT NULL,
    "idleSeconds" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "absoluteExpiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "StaffSession_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StaffSession_subject_idx" ON "StaffSession"("subject");
