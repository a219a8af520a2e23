-- AlterTable
ALTER TABLE "OutreachUpload" ADD COLUMN "leaseUntil" DATETIME;

