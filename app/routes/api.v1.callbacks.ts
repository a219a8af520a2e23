// POST /api/v1/callbacks (shared/contract.md): queue a call-back from another
// site or app. Body {"phone","name"?,"language"?,"reason"?,"context"?} → 201
// {"reference"}; anything else is refused with {"errors":[{"path","message"}]}
// in the request's language: 415 not JSON, 400 malformed, unknown or wrong fields,
// 429 (with Retry-After) over the call-back limits per IP and per phone.
// An Idempotency-Key header works as for applications: the same key and body
// answer the first answer and queue nothing; the same key with another body is 422.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { CALLBACK_LANGUAGES } from "~/domain/callback";
import { apiErrors, methodNotAllowed, readJsonBody, requireMethod, zodIssuesToApiErrors } from "~/services/api-errors.server";
import { isLimited, queueCallbackWithinLimits, retryAfter, waitText } from "~/services/abuse-limits.server";
import { db, type Db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { badIdempotencyKey, idempotentApiResponse, readIdempotencyKey, requestHash } from "~/services/idempotency.server";
import { clientIp } from "~/services/track-session.server";

const ALLOWED = ["POST"] as const;

// Lengths and the phone's shape are checked by queueCallback, so the web form
// and the API say the same thing about the same mistake.
const bodySchema = z
  .object({
    phone: z.string(),
    name: z.string().nullable().optional(),
    language: z.enum(CALLBACK_LANGUAGES).optional(),
    reason: z.string().nullable().optional(),
    context: z.unknown().optional(),
  })
  .strict();

/** Order of the fields in answers, as in the contract. */
const FIELD_ORDER = ["phone", "name", "language", "reason", "context"];

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await translatorFor(request, "validation");
  return methodNotAllowed(t, ALLOWED);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { lng, t } = await translatorFor(request, ["validation", "callback"]);
  requireMethod(request, ALLOWED, t);
  const body = await readJsonBody(request, t);
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) return apiErrors(zodIssuesToApiErrors(parsed.error.issues, t));

  const { phone, name, language, reason, context: callerContext } = parsed.data;
  // Idempotency-Key (as for applications): a repeat gets the first answer and queues nothing.
  const idempotency = readIdempotencyKey(request);
  if (!idempotency.ok) return badIdempotencyKey(request, idempotency.error);
  const guarded = { scope: "POST /api/v1/callbacks", key: idempotency.key, requestHash: requestHash(parsed.data) };
  const { response } = await idempotentApiResponse(db, request, guarded, async (client) => {
    const result = await queueCallbackWithinLimits(client as Db, { phone, name, language: language ?? lng, reason, context: callerContext, source: "web_request" }, { ip: clientIp(context) });
    if (isLimited(result)) {
      return apiErrors([{ path: "", message: t("callback:rateLimited.body", { wait: waitText(lng, result.limited) }) }], 429, retryAfter(result.limited));
    }
    if (!result.ok) {
      const fields = Object.keys(result.errors).sort((a, b) => FIELD_ORDER.indexOf(a) - FIELD_ORDER.indexOf(b));
      return apiErrors(fields.map((path) => ({ path, message: t(`callback:${result.errors[path]}`) })));
    }
    return new Response(JSON.stringify({ reference: result.reference }), {
      status: 201,
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
    });
  });
  return response;
}
