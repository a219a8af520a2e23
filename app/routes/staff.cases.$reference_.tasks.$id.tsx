// POST /staff/cases/:reference/tasks/:id (caseworkers and supervisors,
// permission plan.work): the case page's task forms (app/components/staff/
// case-tasks.tsx). intent=resend sends a declined referral's item to another
// organisation's service (serviceId); intent=close marks the task done. The
// answer goes back to the case page as ?task=<outcome>. Audited.
// A GET only leads back to the case page.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { closeCaseTask, resendDeclinedReferral } from "~/models/referral.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { requireStaff, requireStaffAction, staffActor } from "~/services/staff-session.server";

const NO_STORE = { "Cache-Control": "private, no-store" };

function notFound(): Response {
  return new Response("Not found", { status: 404, headers: NO_STORE });
}

function backTo(reference: string, outcome: string): Response {
  return redirect(`/staff/cases/${encodeURIComponent(reference)}?task=${outcome}#tasks-heading`, { status: 303, headers: NO_STORE });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request, "plan.work");
  return redirect(`/staff/cases/${encodeURIComponent(params.reference ?? "")}`, { status: 303, headers: NO_STORE });
}

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("staff.cases.tasks", guardedAction)(args);
}

async function guardedAction({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form, "plan.work");
  const reference = params.reference ?? "";
  const application = await db.application.findUnique({ where: { reference }, select: { id: true } });
  if (!application) throw notFound();
  const { actor, actorName } = staffActor(ctx);
  const input = { applicationId: application.id, reference, taskId: params.id ?? "", who: { actor, auditActor: actor, actorName }, staffId: ctx.staff.id };
  const intent = form.get("intent");
  if (intent === "resend") {
    const serviceId = form.get("serviceId");
    if (typeof serviceId !== "string" || serviceId === "") return backTo(reference, "noService");
    const result = await resendDeclinedReferral(db, { ...input, serviceId });
    if (!result.ok && result.error === "notFound") throw notFound();
    return backTo(reference, result.ok ? "resent" : result.error);
  }
  if (intent === "close") {
    const result = await closeCaseTask(db, input);
    if (!result.ok && result.error === "notFound") throw notFound();
    return backTo(reference, result.ok ? "closed" : result.error);
  }
  const { t } = await translatorFor(request, ["cases", "common"]);
  return new Response(t("cases:tasks.intent"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", ...NO_STORE } });
}
