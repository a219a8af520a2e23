-- AlterTable
ALTER TABLE "Application" ADD COLUMN "noticeEndsAt" DATETIME;
ALTER TABLE "Application" ADD COLUMN "noticeStartsAt" DATETIME;
ALTER TABLE "Application" ADD COLUMN "outreachLeadId" TEXT;

-- CreateTable
CREATE TABLE "OutreachContact" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "leadId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "note" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OutreachContact_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "OutreachLead" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutreachInvitation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "leadId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "draftId" TEXT,
    "createdById" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OutreachInvitation_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "OutreachLead" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ScreeningOptOut" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "idHash" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "OutreachUpload" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "uploadedById" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "bytesRead" INTEGER NOT NULL DEFAULT 0,
    "rowsRead" INTEGER NOT NULL DEFAULT 0,
    "malformed" INTEGER NOT NULL DEFAULT 0,
    "malformedSample" TEXT NOT NULL DEFAULT '[]',
    "households" INTEGER NOT NULL DEFAULT 0,
    "flagged" INTEGER NOT NULL DEFAULT 0,
    "imported" INTEGER NOT NULL DEFAULT 0,
    "dataDate" TEXT NOT NULL,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "NoticeObjection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "applicationId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "contact" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "decisionNote" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "NoticeObjection_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "OutreachContact_leadId_at_idx" ON "OutreachContact"("leadId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "OutreachInvitation_tokenHash_key" ON "OutreachInvitation"("tokenHash");

-- CreateIndex
CREATE INDEX "OutreachInvitation_leadId_idx" ON "OutreachInvitation"("leadId");

-- CreateIndex
CREATE UNIQUE INDEX "ScreeningOptOut_idHash_key" ON "ScreeningOptOut"("idHash");

-- CreateIndex
CREATE INDEX "NoticeObjection_status_createdAt_idx" ON "NoticeObjection"("status", "createdAt");

-- CreateIndex
CREATE INDEX "NoticeObjection_applicationId_idx" ON "NoticeObjection"("applicationId");

-- CreateIndex
CREATE INDEX "Application_status_noticeEndsAt_idx" ON "Application"("status", "noticeEndsAt");

-- CreateIndex
CREATE INDEX "OutreachLead_applicationId_idx" ON "OutreachLead"("applicationId");

