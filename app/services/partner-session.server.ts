// Partner sign-in (issue 9): a partner is a staff account with role
// "partner" tied to one social organisation (StaffUser.organisationId). They
// sign in on the staff login page and use only /partner; every /staff page
// answers them 403, and /partner answers every other role 403.
import type { StaffContext } from "./staff-session.server";
import { requireStaff, requireStaffAction } from "./staff-session.server";
import { db } from "./db.server";
import { partnerOrganisation, type Actor } from "~/models/referral.server";

export interface PartnerContext extends StaffContext {
  organisation: { id: string; name: string };
  who: Actor;
}

function forbidden(): Response {
  return new Response("Forbidden", { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

async function withOrganisation(ctx: StaffContext): Promise<PartnerContext> {
  // An account of no organisation (untied by an admin) sees nothing.
  const organisation = await partnerOrganisation(db, ctx.staff.id);
  if (!organisation) throw forbidden();
  return {
    ...ctx,
    organisation,
    who: { actor: `partner:${ctx.staff.id}`, auditActor: `staff:${ctx.staff.id}`, actorName: ctx.staff.username },
  };
}

/** The signed-in partner and their organisation; not signed in → login; any other role → 403. */
export async function requirePartner(request: Request): Promise<PartnerContext> {
  return withOrganisation(await requireStaff(request, "referral.partner"));
}

/** requirePartner for a form post: the session's CSRF token too. */
export async function requirePartnerAction(request: Request, form: FormData): Promise<PartnerContext> {
  return withOrganisation(await requireStaffAction(request, form, "referral.partner"));
}
