-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CallbackRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reference" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "name" TEXT,
    "language" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "reason" TEXT,
    "bestTime" TEXT,
    "context" TEXT NOT NULL DEFAULT '{}',
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "oldestAge" INTEGER,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "dueAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_CallbackRequest" ("bestTime", "context", "createdAt", "dueAt", "id", "language", "name", "phone", "priority", "reason", "reference", "source", "status", "updatedAt") SELECT "bestTime", "context", "createdAt", "dueAt", "id", "language", "name", "phone", "priority", "reason", "reference", "source", "status", "updatedAt" FROM "CallbackRequest";
DROP TABLE "CallbackRequest";
ALTER TABLE "new_CallbackRequest" RENAME TO "CallbackRequest";
CREATE UNIQUE INDEX "CallbackRequest_reference_key" ON "CallbackRequest"("reference");
CREATE INDEX "CallbackRequest_status_dueAt_idx" ON "CallbackRequest"("status", "dueAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
