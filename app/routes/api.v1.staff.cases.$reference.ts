// GET /api/v1/staff/cases/:reference (shared/contract.md, staff API): one case
// for staff tools: status, channel, applicant and proxy, the eligibility
// results at submission (explained in the request's language, with the rules
// version), evidence and the timeline. Staff tokens only (401 without, 403
// for a partner token); 404 for an unknown or malformed reference. Phones are
// in full (staff call them); the ID number stays masked in this API: the
// console shows it to staff who need it. Never cached. Each answered view is
// audited (view_case, actor token:<id> or env-staff).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eligibilityResponse } from "~/domain/validation/eligibility-api";
import { getCaseForStaff } from "~/models/application.server";
import { auditCaseView } from "~/models/case-review.server";
import { requireApiToken } from "~/services/api-auth.server";
import { apiErrors, methodNotAllowed } from "~/services/api-errors.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiToken(request, { scopes: ["staff"] });
  const { t } = await translatorFor(request, ["validation", "application", "rules"]);
  const found = await getCaseForStaff(db, params.reference ?? "");
  if (!found) return apiErrors([{ path: "reference", message: t("application:notFound") }], 404);
  // A look at personal data through the API is on the record like one in the console.
  await auditCaseView(db, {
    actor: caller.kind === "env-staff" ? "env-staff" : `token:${caller.id}`,
    action: "view_case",
    reference: found.reference,
    detail: { via: "api", status: found.status },
  });

  const explained = eligibilityResponse(found.assessment, t);
  const body = {
    reference: found.reference,
    status: found.status,
    channel: found.channel,
    submittedAt: found.submittedAt.toISOString(),
    applicant: found.applicant,
    onBehalfOf: found.onBehalfOf && {
      ...found.onBehalfOf,
      consentAt: found.onBehalfOf.consentAt?.toISOString() ?? null,
      revokedAt: found.onBehalfOf.revokedAt?.toISOString() ?? null,
    },
    programs: found.programs,
    asOf: explained.asOf,
    rulesVersion: explained.rulesVersion,
    results: explained.results,
    evidence: found.evidence.map((item) => ({
      id: item.id,
      type: item.type,
      status: item.status,
      format: item.format,
      size: item.size,
      rejectReason: item.rejectReason,
      createdAt: item.createdAt.toISOString(),
    })),
    timeline: found.timeline.map((event) => ({
      type: event.type,
      fromStatus: event.fromStatus,
      toStatus: event.toStatus,
      actor: event.actor,
      at: event.at.toISOString(),
      detail: event.detail,
    })),
  };
  return new Response(JSON.stringify(body), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { t } = await translatorFor(request, "validation");
  return methodNotAllowed(t, ["GET"]);
}
