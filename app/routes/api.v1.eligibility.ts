// POST /api/v1/eligibility (shared/contract.md): validate the body, assess the
// household on asOf (default: today in Asia/Shanghai) and answer with every
// programme's outcome and reasons explained in the request's language.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { EligibilityError, InvalidHouseholdError, NoRulesInForceError, assessHousehold } from "~/domain/eligibility";
import { eligibilityRequestSchema, eligibilityResponse, todayInShanghai } from "~/domain/validation/eligibility-api";
import { apiErrors, methodNotAllowed, readJsonBody, requireMethod, zodIssuesToApiErrors } from "~/services/api-errors.server";
import { translatorFor } from "~/services/i18n.server";

const ALLOWED = ["POST"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await translatorFor(request, "validation");
  return methodNotAllowed(t, ALLOWED);
}

export async function action({ request }: ActionFunctionArgs) {
  const { t } = await translatorFor(request, ["validation", "rules"]);
  requireMethod(request, ALLOWED, t);
  const body = await readJsonBody(request, t);
  const parsed = eligibilityRequestSchema.safeParse(body);
  if (!parsed.success) return apiErrors(zodIssuesToApiErrors(parsed.error.issues, t));

  const asOf = parsed.data.asOf ?? todayInShanghai(new Date());
  try {
    const assessment = assessHousehold(parsed.data.household, asOf);
    return new Response(JSON.stringify(eligibilityResponse(assessment, t)), {
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
    });
  } catch (error) {
    // The schema already refuses what the engine refuses; this keeps any gap a 400, never a 500.
    if (error instanceof InvalidHouseholdError) {
      return apiErrors([{ path: "household.members", message: t("validation:members.tooFew", { replace: { minimum: 1 } }) }]);
    }
    if (error instanceof NoRulesInForceError) {
      return apiErrors([{ path: "asOf", message: t("validation:noRulesInForce", { replace: { asOf, earliest: error.earliest } }) }]);
    }
    if (error instanceof EligibilityError) return apiErrors([{ path: "asOf", message: t("validation:invalidDate") }]);
    throw error;
  }
}
