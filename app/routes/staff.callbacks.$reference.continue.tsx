// POST /staff/callbacks/<reference>/continue: "continue the application for
// them". Only the caseworker holding the call-back (queue.work, CSRF-checked).
// When the call-back links the resident's unfinished draft (web_abandoned),
// that draft is put in assisted mode for this caseworker; otherwise a new
// draft is started with what the call-back already tells us (the household
// from the check answers, who it is for, the phone, the language) and linked
// to the call-back. Either way this browser's apply cookie points at the
// draft (and, with check answers, its check cookie at a copy of them so the
// household can be confirmed or changed), and the task list opens.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isValidReference, normalizeReference, REFERENCE_PREFIX } from "~/domain/callback";
import { prefillFromCheck } from "~/domain/callback/prefill";
import { readAnswers } from "~/domain/check";
import { applyDraftCookie, createAssistedDraft, findApplyDraft, startAssistedDraft } from "~/models/application-draft.server";
import { findCallbackDetail, linkDraftToCallback } from "~/models/callback.server";
import { saveCheckAnswers } from "~/models/check-draft.server";
import { recordAudit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { requireStaff, requireStaffAction, staffActor } from "~/services/staff-session.server";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";

function obj(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** GET is not a way in: the page with the button is the call-back's own. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request, "queue.work");
  return redirect(`/staff/callbacks/${encodeURIComponent(params.reference ?? "")}`, 303);
}

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("staff.callbacks.continue", guardedAction)(args);
}

async function guardedAction({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form, "queue.work");
  const reference = normalizeReference(params.reference ?? "");
  if (!isValidReference(reference, REFERENCE_PREFIX.callback)) throw new Response("Not found", { status: 404 });
  const item = await findCallbackDetail(db, reference);
  if (!item) throw new Response("Not found", { status: 404 });
  if (item.status !== "claimed" || item.claimedById !== ctx.staff.id) return redirect(`/staff/callbacks/${reference}?notice=notYours`, 303);

  const headers = new Headers({ "Cache-Control": "no-store" });
  const now = new Date();
  let draftId: string | null = null;
  let resumed = false;
  if (item.draftId) {
    const existing = await findApplyDraft(db, item.draftId, now);
    if (existing && !existing.submittedReference && (await startAssistedDraft(db, existing.id, ctx.staff.id, now))) {
      draftId = existing.id;
      resumed = true;
    }
  }
  const context = obj(item.context);
  const checkRaw = obj(context.check).answers;
  const check = checkRaw !== undefined ? readAnswers(checkRaw) : null;
  if (!draftId) {
    draftId = await createAssistedDraft(db, { staffId: ctx.staff.id, phone: item.phone, language: item.language, answers: prefillFromCheck(check, item.phone) }, now);
    await linkDraftToCallback(db, reference, draftId);
  }
  if (check && Object.keys(check).length > 0 && !resumed) {
    // A copy of the check for this browser: the household page confirms it, the check pages can change it.
    const saved = await saveCheckAnswers(new Request("http://localhost/"), check, now, db);
    headers.append("Set-Cookie", saved.setCookie);
  }
  headers.append("Set-Cookie", applyDraftCookie(draftId));
  const { actor, actorName } = staffActor(ctx);
  await recordAudit(db, { actor, actorName, action: "assist_application", subjectType: "callback", subjectId: reference, detail: { draft: resumed ? "resumed" : "new" } });
  return redirect("/apply", { status: 303, headers });
}
