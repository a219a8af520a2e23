-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN "organisationId" TEXT;

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN "organisationId" TEXT;

-- CreateTable
CREATE TABLE "SocialOrganisation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "contactName" TEXT NOT NULL,
    "contactPhone" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OrganisationService" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organisationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "needs" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "OrganisationService_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "SocialOrganisation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AssistancePlan" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "applicationId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "rulesVersion" TEXT NOT NULL,
    "proposedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "proposedById" TEXT,
    "agreedAt" DATETIME,
    "agreedById" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AssistancePlan_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PlanItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "planId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "program" TEXT,
    "amountFen" INTEGER,
    "amountPeriod" TEXT,
    "need" TEXT,
    "serviceId" TEXT,
    "reasonCode" TEXT NOT NULL,
    "reasonValues" TEXT NOT NULL DEFAULT '{}',
    "origin" TEXT NOT NULL,
    "note" TEXT,
    "removedAt" DATETIME,
    "removedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PlanItem_planId_fkey" FOREIGN KEY ("planId") REFERENCES "AssistancePlan" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Referral" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "planItemId" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "declineReason" TEXT,
    "deliveryNote" TEXT,
    "sentAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "respondedAt" DATETIME,
    "deliveredAt" DATETIME,
    "followUpDueAt" DATETIME NOT NULL,
    "followUpAskedAt" DATETIME,
    "followUpRemindedAt" DATETIME,
    "followUpClosedAt" DATETIME,
    "followUpOutcome" TEXT,
    "helpArrived" BOOLEAN,
    "satisfaction" INTEGER,
    "comment" TEXT,
    "answerChannel" TEXT,
    "answeredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Referral_planItemId_fkey" FOREIGN KEY ("planItemId") REFERENCES "PlanItem" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Referral_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Referral_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "SocialOrganisation" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Referral_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "OrganisationService" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CaseTask" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "applicationId" TEXT NOT NULL,
    "referralId" TEXT,
    "kind" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" DATETIME,
    "doneById" TEXT,
    CONSTRAINT "CaseTask_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "SocialOrganisation_district_idx" ON "SocialOrganisation"("district");

-- CreateIndex
CREATE INDEX "OrganisationService_organisationId_idx" ON "OrganisationService"("organisationId");

-- CreateIndex
CREATE UNIQUE INDEX "AssistancePlan_applicationId_key" ON "AssistancePlan"("applicationId");

-- CreateIndex
CREATE INDEX "PlanItem_planId_idx" ON "PlanItem"("planId");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_planItemId_key" ON "Referral"("planItemId");

-- CreateIndex
CREATE INDEX "Referral_organisationId_status_idx" ON "Referral"("organisationId", "status");

-- CreateIndex
CREATE INDEX "Referral_applicationId_idx" ON "Referral"("applicationId");

-- CreateIndex
CREATE INDEX "Referral_followUpClosedAt_followUpDueAt_idx" ON "Referral"("followUpClosedAt", "followUpDueAt");

-- CreateIndex
CREATE INDEX "CaseTask_doneAt_createdAt_idx" ON "CaseTask"("doneAt", "createdAt");

-- CreateIndex
CREATE INDEX "CaseTask_applicationId_idx" ON "CaseTask"("applicationId");

