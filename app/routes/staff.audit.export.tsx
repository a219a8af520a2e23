// GET /staff/audit/export?actor=&action=&subject=&from=&to=&format=csv|jsonl
// (supervisors and admins with audit.export): the current search as a file
// download (Content-Disposition: attachment), newest first, streamed in
// batches so a large log does not sit in memory. Includes each entry's
// prevHash and hash, so a copy kept elsewhere can later prove the log intact.
// The export itself is recorded first (export_audit).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvCell, parseAuditQuery } from "~/domain/staff/audit-filter";
import { auditBatches, type AuditRow } from "~/models/audit.server";
import { recordAudit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { requireStaff, staffActor } from "~/services/staff-session.server";

const COLUMNS = ["seq", "at", "actor", "actorName", "action", "subjectType", "subjectId", "reason", "detail", "prevHash", "hash"] as const;

function csvLine(row: AuditRow): string {
  return `${COLUMNS.map((c) => csvCell(c === "at" ? row.at.toISOString() : row[c])).join(",")}\r\n`;
}

function jsonLine(row: AuditRow): string {
  return `${JSON.stringify({ ...row, at: row.at.toISOString() })}\n`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "audit.export");
  const url = new URL(request.url);
  const query = parseAuditQuery(url.searchParams);
  if (Object.keys(query.errors).length > 0) {
    const { t } = await translatorFor(request, "audit");
    return new Response(t("export.badFilter"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  const format = url.searchParams.get("format") === "jsonl" ? "jsonl" : "csv";
  await recordAudit(db, { ...staffActor(ctx), action: "export_audit", subjectType: "audit", detail: { filter: query.values, format } });

  const encoder = new TextEncoder();
  const batches = auditBatches(db, query.filter);
  const line = format === "csv" ? csvLine : jsonLine;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // A BOM so spreadsheet programs read the Chinese text as UTF-8.
      if (format === "csv") controller.enqueue(encoder.encode(`\uFEFF${COLUMNS.join(",")}\r\n`));
    },
    async pull(controller) {
      const next = await batches.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map(line).join("")));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="lifeline-audit-${stamp}.${format === "csv" ? "csv" : "jsonl"}"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
