// POST /staff/session: "Stay signed in". requireStaffAction already moved the
// idle limit on; without script the browser goes back to the page it was on,
// with script (js=1, from the idle warning) it gets the new time left as JSON.
// A GET only leads back to the console.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { safePartnerNext } from "~/domain/referral/partner-next";
import { safeStaffNext } from "~/domain/staff/safe-next";
import { requireStaff, requireStaffAction } from "~/services/staff-session.server";
import { readForm } from "~/services/form-body.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  return redirect("/staff", 303);
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form);
  if (form.get("js") === "1") {
    return json({ remainingMs: ctx.expiresAt.getTime() - Date.now() }, { headers: { "Cache-Control": "no-store" } });
  }
  // A partner (issue 9) stays on the partner pages.
  return redirect(ctx.staff.role === "partner" ? safePartnerNext(form.get("next")) : safeStaffNext(form.get("next")), 303);
}
