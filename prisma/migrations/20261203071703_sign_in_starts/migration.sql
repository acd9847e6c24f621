-- CreateTable
CREATE TABLE "SignInStartDay" (
    "day" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("day", "provider")
);
