-- CreateTable
CREATE TABLE "OutreachLead" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "householdId" TEXT NOT NULL,
    "dataDate" TEXT NOT NULL,
    "flags" TEXT NOT NULL,
    "flagCount" INTEGER NOT NULL,
    "perCapitaIncomeFen" INTEGER NOT NULL,
    "members" INTEGER NOT NULL,
    "reasons" TEXT NOT NULL,
    "household" TEXT NOT NULL,
    "people" TEXT NOT NULL,
    "district" TEXT,
    "status" TEXT NOT NULL DEFAULT 'new',
    "dismissReason" TEXT,
    "applicationId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "OutreachLead_status_flagCount_perCapitaIncomeFen_idx" ON "OutreachLead"("status", "flagCount", "perCapitaIncomeFen");

-- CreateIndex
CREATE INDEX "OutreachLead_dataDate_idx" ON "OutreachLead"("dataDate");

-- CreateIndex
CREATE UNIQUE INDEX "OutreachLead_householdId_dataDate_key" ON "OutreachLead"("householdId", "dataDate");

