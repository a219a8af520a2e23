-- AlterTable
ALTER TABLE "OutreachUpload" ADD COLUMN     "leaseUntil" TIMESTAMP(3);

