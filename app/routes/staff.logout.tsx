// POST /staff/logout: ends the session row (the cookie opens nothing after
// this), clears the cookie, and shows the login page with "You have signed
// out". Audited. A GET does not sign out (a link or prefetch must not).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { recordAudit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { endStaffSession, requireStaff, requireStaffAction, staffActor } from "~/services/staff-session.server";
import { readForm } from "~/services/form-body.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  return redirect("/staff", 303);
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form);
  await recordAudit(db, { ...staffActor(ctx), action: "logout", subjectType: "staff_user", subjectId: ctx.staff.id });
  const setCookie = await endStaffSession(ctx.sessionId);
  return redirect("/staff/login?signedOut=1", { status: 303, headers: { "Set-Cookie": setCookie, "Cache-Control": "no-store" } });
}
