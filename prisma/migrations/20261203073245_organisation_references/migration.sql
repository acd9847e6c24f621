-- CreateTable
CREATE TABLE "OrganisationReference" (
    "organisation" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("organisation", "reference"),
    CONSTRAINT "OrganisationReference_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "OrganisationReference_userId_idx" ON "OrganisationReference"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "OrganisationReference_organisation_userId_key" ON "OrganisationReference"("organisation", "userId");
