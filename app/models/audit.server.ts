// Reading the audit log (search, export). Writing is only recordAudit in
// app/services/audit.server.ts; nothing here or anywhere updates or deletes
// an entry.
import type { AuditFilter } from "~/domain/staff/audit-filter";
import type { Prisma } from "~/generated/prisma/client";
import type { ChainedFields } from "~/services/audit.server";
import type { Db } from "~/services/db.server";

/** A stored entry: the fields its hash covers, and the hash. */
export type AuditRow = ChainedFields & { hash: string };

function where(filter: AuditFilter): Prisma.AuditEntryWhereInput {
  const at: Prisma.DateTimeFilter = {};
  if (filter.from) at.gte = filter.from;
  if (filter.toExclusive) at.lt = filter.toExclusive;
  return {
    ...(filter.actor ? { actorName: filter.actor } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.subject ? { subjectId: filter.subject } : {}),
    ...(filter.from || filter.toExclusive ? { at } : {}),
  };
}

/** One page, newest first, and the number of matching entries. */
export async function searchAudit(db: Db, filter: AuditFilter, { page, pageSize }: { page: number; pageSize: number }): Promise<{ rows: AuditRow[]; total: number }> {
  const w = where(filter);
  const [rows, total] = await Promise.all([
    db.auditEntry.findMany({ where: w, orderBy: { seq: "desc" }, skip: (page - 1) * pageSize, take: pageSize }),
    db.auditEntry.count({ where: w }),
  ]);
  return { rows, total };
}

/** The actions that occur in the log, for the search form's list. */
export async function auditActions(db: Db): Promise<string[]> {
  const groups = await db.auditEntry.groupBy({ by: ["action"], orderBy: { action: "asc" } });
  return groups.map((g) => g.action);
}

/** Every matching entry, newest first, a batch at a time (the export streams these). */
export async function* auditBatches(db: Db, filter: AuditFilter, batchSize = 1000): AsyncGenerator<AuditRow[]> {
  let before: number | null = null;
  for (;;) {
    const batch: AuditRow[] = await db.auditEntry.findMany({
      where: { AND: [where(filter), before === null ? {} : { seq: { lt: before } }] },
      orderBy: { seq: "desc" },
      take: batchSize,
    });
    if (batch.length === 0) return;
    yield batch;
    before = batch[batch.length - 1].seq;
    if (batch.length < batchSize) return;
  }
}
