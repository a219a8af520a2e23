-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN     "organisationId" TEXT;

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "organisationId" TEXT;

-- CreateTable
CREATE TABLE "SocialOrganisation" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "contactName" TEXT NOT NULL,
    "contactPhone" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SocialOrganisation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrganisationService" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "needs" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrganisationService_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssistancePlan" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "rulesVersion" TEXT NOT NULL,
    "proposedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "proposedById" TEXT,
    "agreedAt" TIMESTAMP(3),
    "agreedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AssistancePlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanItem" (
    "id" TEXT NOT NULL,
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
    "removedAt" TIMESTAMP(3),
    "removedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlanItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Referral" (
    "id" TEXT NOT NULL,
    "planItemId" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "declineReason" TEXT,
    "deliveryNote" TEXT,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "respondedAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "followUpDueAt" TIMESTAMP(3) NOT NULL,
    "followUpAskedAt" TIMESTAMP(3),
    "followUpRemindedAt" TIMESTAMP(3),
    "followUpClosedAt" TIMESTAMP(3),
    "followUpOutcome" TEXT,
    "helpArrived" BOOLEAN,
    "satisfaction" INTEGER,
    "comment" TEXT,
    "answerChannel" TEXT,
    "answeredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Referral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseTask" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "referralId" TEXT,
    "kind" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMP(3),
    "doneById" TEXT,

    CONSTRAINT "CaseTask_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "OrganisationService" ADD CONSTRAINT "OrganisationService_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "SocialOrganisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssistancePlan" ADD CONSTRAINT "AssistancePlan_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanItem" ADD CONSTRAINT "PlanItem_planId_fkey" FOREIGN KEY ("planId") REFERENCES "AssistancePlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_planItemId_fkey" FOREIGN KEY ("planItemId") REFERENCES "PlanItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "SocialOrganisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "OrganisationService"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseTask" ADD CONSTRAINT "CaseTask_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

