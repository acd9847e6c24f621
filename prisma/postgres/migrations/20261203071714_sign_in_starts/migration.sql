-- CreateTable
CREATE TABLE "SignInStartDay" (
    "day" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "SignInStartDay_pkey" PRIMARY KEY ("day","provider")
);
