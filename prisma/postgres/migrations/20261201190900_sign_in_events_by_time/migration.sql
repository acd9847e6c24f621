-- CreateIndex
CREATE INDEX "SignInEvent_at_idx" ON "SignInEvent"("at");
