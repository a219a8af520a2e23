// POST /staff/residents/export (supervisors, resident.export; CSRF): one .tar
// archive of everything held about the resident found on /staff/residents —
// resident.json (every row) and files/<id>.<ext> (each document, the stored
// bytes). The search travels as hidden fields, never in the URL. Audited
// (export_resident, with the reason given for the search) before a byte is
// sent; an attachment, never cached, nosniff, sandboxed.
import type { ActionFunctionArgs } from "@remix-run/node";
import { todayInShanghai } from "~/domain/validation/eligibility-api";
import {
  auditResidentAccess,
  collectResidentData,
  countHeld,
  readReason,
  readResidentQuery,
  residentExportEntries,
  resolveResident,
} from "~/models/resident-data.server";
import { db } from "~/services/db.server";
import { readForm } from "~/services/form-body.server";
import { translatorFor } from "~/services/i18n.server";
import {
  requireStaffAction,
  staffActor,
} from "~/services/staff-session.server";
import { tarStream } from "~/services/tar-writer.server";

const PLAIN = {
  "Content-Type": "text/plain; charset=utf-8",
  "Cache-Control": "private, no-store",
  "X-Content-Type-Options": "nosniff",
};

/** The hidden fields were changed or the person's records changed meanwhile: start again. */
async function badRequest(request: Request): Promise<Response> {
  const { t } = await translatorFor(request, "residents");
  return new Response(t("download.bad"), { status: 400, headers: PLAIN });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form, "resident.export");
  const now = new Date();
  const read = readResidentQuery(form, todayInShanghai(now));
  const reason = readReason(form.get("reason"));
  if (!read.ok || !reason.ok) return badRequest(request);
  const resolved = await resolveResident(db, read.query);
  if (!resolved.ok) return badRequest(request);
  const data = await collectResidentData(db, resolved.key);
  const archive = await residentExportEntries(data, now);
  await auditResidentAccess(db, {
    ...staffActor(ctx),
    action: "export_resident",
    key: resolved.key,
    reason: reason.reason,
    detail: { held: countHeld(data), files: archive.files },
  });

  const chunks = tarStream(archive.entries);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        // A file changed or vanished mid-way: the download breaks off rather than hand over a corrupt archive.
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const stamp = now.toISOString().slice(0, 10);
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "application/x-tar",
      "Content-Disposition": `attachment; filename="lifeline-resident-${stamp}.tar"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
