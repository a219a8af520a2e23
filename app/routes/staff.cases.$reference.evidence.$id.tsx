// GET /staff/cases/:reference/evidence/:id: one uploaded document, for staff
// who may see cases (case.view), only when the file belongs to that case (a
// mismatched reference and id is 404, as is a missing file). Always an
// attachment with a name we make (LA-XXXX-XXXX-id_card-1.jpg), the type
// from the bytes detected at upload (PDF or an image, never HTML), nosniff,
// and never cached. Streamed from UPLOAD_DIR. Each download is audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { EVIDENCE_CONTENT_TYPES, type EvidenceFormat } from "~/domain/case";
import { auditCaseView, findEvidenceOfCase } from "~/models/case-review.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { openEvidenceFile } from "~/services/evidence-storage.server";
import { requireStaff, staffActor } from "~/services/staff-session.server";

const EXTENSIONS: Readonly<Record<EvidenceFormat, string>> = { pdf: "pdf", jpeg: "jpg", png: "png", heic: "heic" };

/** A plain 404 in the person's language (a file route has no page to show it on). */
async function notFound(request: Request): Promise<Response> {
  const { t } = await translatorFor(request, "common");
  return new Response(`${t("errors.notFoundTitle")}. ${t("errors.notFoundBody")}`, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" } });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "case.view");
  const found = await findEvidenceOfCase(db, params.reference ?? "", params.id ?? "");
  if (!found) return notFound(request);
  const file = await openEvidenceFile(found.storedName);
  // The stored name fixes the format; a row whose format disagrees is not served.
  if (!file || file.format !== found.format) {
    file?.stream.destroy();
    return notFound(request);
  }
  const { actor, actorName } = staffActor(ctx);
  try {
    await auditCaseView(db, { actor, actorName, action: "view_evidence", reference: found.reference, detail: { evidenceId: found.id, type: found.type } });
  } catch (error) {
    file.stream.destroy();
    throw error;
  }
  // Only [A-Z0-9-_.]: nothing the uploader typed reaches the header.
  const filename = `${found.reference}-${found.type}-${found.number}.${EXTENSIONS[file.format]}`;
  return new Response(createReadableStreamFromReadable(file.stream), {
    status: 200,
    headers: {
      "Content-Type": EVIDENCE_CONTENT_TYPES[file.format],
      "Content-Length": String(file.size),
      "Content-Disposition": `attachment; filename="${filename}"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
