// GET /api/v1/staff/callbacks?status=queued|claimed|done (shared/contract.md):
// the call-back queue for staff tools, soonest due first, most urgent first
// among equals. Needs a staff bearer token; full phone numbers are in the
// answer (staff must call them), so it is never cached.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { CALLBACK_STATUSES } from "~/domain/callback";
import { listCallbacks } from "~/models/callback.server";
import { requireStaffToken } from "~/services/api-auth.server";
import { apiErrors, methodNotAllowed, zodIssuesToApiErrors } from "~/services/api-errors.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";

const querySchema = z.object({ status: z.enum(CALLBACK_STATUSES) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaffToken(request);
  const { t } = await translatorFor(request, "validation");
  const given = new URL(request.url).searchParams.getAll("status");
  if (given.length > 1) return apiErrors([{ path: "status", message: t("validation:notOneOf", { replace: { allowed: CALLBACK_STATUSES.join(", ") } }) }]);
  const query = querySchema.safeParse({ status: given[0] ?? "queued" });
  if (!query.success) return apiErrors(zodIssuesToApiErrors(query.error.issues, t));

  const items = (await listCallbacks(db, { status: query.data.status })).map((item) => ({
    reference: item.reference,
    phone: item.phone,
    language: item.language,
    source: item.source,
    reason: item.reason,
    context: item.context,
    createdAt: item.createdAt.toISOString(),
    status: item.status,
    dueAt: item.dueAt.toISOString(),
  }));
  return new Response(JSON.stringify({ items }), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { t } = await translatorFor(request, "validation");
  return methodNotAllowed(t, ["GET"]);
}
