// POST /api/v1/applications/:reference/evidence (shared/contract.md, Partner
// API): one document for a case, multipart with `file` and `type` → 201
// {"id","status":"received"}. Bearer token: staff may add to any case, a
// partner only to the cases it created (any other reference is 404, so a
// partner cannot learn which references exist). The file is streamed to disk
// and checked by its bytes: 413 over 10 MB, 415 when not PDF/JPEG/PNG/HEIC,
// 400 for a missing or wrong type; on any failure nothing is kept. An
// Idempotency-Key header works as for applications (a repeat keeps no second file).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { addEvidenceRecord, findApplicationForEvidence } from "~/models/application.server";
import { callerActor, callerScope, requireApiToken } from "~/services/api-auth.server";
import { apiErrors, methodNotAllowed, requireMethod } from "~/services/api-errors.server";
import { db } from "~/services/db.server";
import { deleteEvidenceFile } from "~/services/evidence-storage.server";
import { translatorFor } from "~/services/i18n.server";
import { badIdempotencyKey, idempotentApiResponse, readIdempotencyKey, requestHash } from "~/services/idempotency.server";
import { discardBody, readEvidenceUpload } from "~/services/multipart-evidence.server";

const ALLOWED = ["POST"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await translatorFor(request, "validation");
  return methodNotAllowed(t, ALLOWED);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { t } = await translatorFor(request, ["validation", "application"]);
  requireMethod(request, ALLOWED, t);
  const caller = await requireApiToken(request, { scopes: ["partner", "staff"] });

  const application = await findApplicationForEvidence(db, params.reference ?? "");
  const mayAdd = application && (callerScope(caller) === "staff" || (caller.kind === "token" && application.createdByTokenId === caller.id));
  if (!application || !mayAdd) {
    const drained = await discardBody(request);
    return apiErrors([{ path: "reference", message: t("application:notFound") }], 404, drained ? undefined : { Connection: "close" });
  }

  const idempotency = readIdempotencyKey(request);
  if (!idempotency.ok) {
    const drained = await discardBody(request);
    const refused = await badIdempotencyKey(request, idempotency.error);
    if (!drained) refused.headers.set("Connection", "close");
    return refused;
  }

  const upload = await readEvidenceUpload(request);
  if (!upload.ok) {
    const errors = upload.problems.map((p) => ({ path: p.path, message: t(`application:${p.key}`, { replace: p.values ?? {} }) }));
    return apiErrors(errors, upload.status, upload.closeConnection ? { Connection: "close" } : undefined);
  }

  // Idempotency-Key: the same document (type and sha256 of its bytes) sent
  // again with the key gets the first answer; the file just stored is dropped.
  const scope = `POST /api/v1/applications/${application.id}/evidence ${caller.kind === "env-staff" ? "env-staff" : `token:${caller.id}`}`;
  const guarded = { scope, key: idempotency.key, requestHash: requestHash({ type: upload.type, sha256: upload.stored.sha256 }) };
  let answer: { response: Response; replayed: boolean };
  try {
    answer = await idempotentApiResponse(db, request, guarded, async (client) => {
      const evidence = await addEvidenceRecord(client, { applicationId: application.id, type: upload.type, stored: upload.stored, actor: callerActor(caller) });
      return new Response(JSON.stringify({ id: evidence.id, status: evidence.status }), {
        status: 201,
        headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
      });
    });
  } catch (error) {
    // No row, so no file either.
    await deleteEvidenceFile(upload.stored.storedName).catch(() => undefined);
    throw error;
  }
  // A repeat (or a key used for another document) keeps no second file.
  if (answer.response.status !== 201 || answer.replayed) await deleteEvidenceFile(upload.stored.storedName).catch(() => undefined);
  return answer.response;
}
