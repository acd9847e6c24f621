-- CreateTable
CREATE TABLE "EngagementPreference" (
    "userId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "wantsInvitations" BOOLEAN NOT NULL,
    "topics" TEXT NOT NULL DEFAULT '',
    "methods" TEXT NOT NULL DEFAULT '',
    "monthlyLimit" INTEGER NOT NULL DEFAULT 2,
    "postcodeDistrict" TEXT,

    CONSTRAINT "EngagementPreference_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "EngagementQuestion" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "organisationCode" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "options" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "EngagementQuestion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EngagementActivity" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "organisationCode" TEXT NOT NULL,
    "organisationName" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "topics" TEXT NOT NULL DEFAULT '',
    "audienceKind" TEXT NOT NULL DEFAULT 'everyone',
    "audienceValue" TEXT,
    "startsOn" TEXT,
    "endsOn" TEXT,
    "method" TEXT,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "publishedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "whatWeHeard" TEXT,
    "whatWeChanged" TEXT,

    CONSTRAINT "EngagementActivity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EngagementActivityQuestion" (
    "activityId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "EngagementActivityQuestion_pkey" PRIMARY KEY ("activityId","questionId")
);

-- CreateTable
CREATE TABLE "EngagementResponse" (
    "id" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submittedAt" TIMESTAMP(3),

    CONSTRAINT "EngagementResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EngagementAnswer" (
    "id" TEXT NOT NULL,
    "responseId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "answeredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "value" TEXT NOT NULL,
    "reusedFromId" TEXT,

    CONSTRAINT "EngagementAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EngagementInvitation" (
    "id" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EngagementInvitation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EngagementActivity_status_organisationCode_idx" ON "EngagementActivity"("status", "organisationCode");

-- CreateIndex
CREATE INDEX "EngagementResponse_userId_idx" ON "EngagementResponse"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "EngagementResponse_activityId_userId_key" ON "EngagementResponse"("activityId", "userId");

-- CreateIndex
CREATE INDEX "EngagementAnswer_questionId_idx" ON "EngagementAnswer"("questionId");

-- CreateIndex
CREATE UNIQUE INDEX "EngagementAnswer_responseId_questionId_key" ON "EngagementAnswer"("responseId", "questionId");

-- CreateIndex
CREATE INDEX "EngagementInvitation_userId_sentAt_idx" ON "EngagementInvitation"("userId", "sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "EngagementInvitation_activityId_userId_key" ON "EngagementInvitation"("activityId", "userId");

-- AddForeignKey
ALTER TABLE "EngagementPreference" ADD CONSTRAINT "EngagementPreference_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EngagementActivityQuestion" ADD CONSTRAINT "EngagementActivityQuestion_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "EngagementActivity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EngagementActivityQuestion" ADD CONSTRAINT "EngagementActivityQuestion_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "EngagementQuestion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EngagementResponse" ADD CONSTRAINT "EngagementResponse_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "EngagementActivity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EngagementResponse" ADD CONSTRAINT "EngagementResponse_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EngagementAnswer" ADD CONSTRAINT "EngagementAnswer_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "EngagementResponse"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EngagementAnswer" ADD CONSTRAINT "EngagementAnswer_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "EngagementQuestion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EngagementInvitation" ADD CONSTRAINT "EngagementInvitation_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "EngagementActivity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EngagementInvitation" ADD CONSTRAINT "EngagementInvitation_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
