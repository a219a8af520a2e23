// POST /api/v1/applications (shared/contract.md, Partner API): a social
// organisation, community worker or staff tool applies on a resident's behalf.
// Bearer token (partner or staff) → 201 {"reference","status"}; the same
// checks, snapshot and receipt text as the web journey (submitApplication).
// With an Idempotency-Key header a repeat of the same request answers the
// first answer and creates nothing; the same key with another body is 422.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { householdSchema } from "~/domain/validation/household-schema";
import type { Prisma } from "~/generated/prisma/client";
import { SUPPORTED_LANGUAGES } from "~/i18n";
import { submitApplication } from "~/models/application.server";
import { callerActor, requireApiToken, type ApiCaller } from "~/services/api-auth.server";
import { apiErrors, methodNotAllowed, readJsonBody, requireMethod, zodIssuesToApiErrors } from "~/services/api-errors.server";
import { db, type Db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { IDEMPOTENCY_HEADER, readIdempotencyKey, requestHash, withIdempotency, type IdempotentAnswer } from "~/services/idempotency.server";

const ALLOWED = ["POST"] as const;

// Shapes only: names, ID numbers, phones, relationships and programme codes
// are checked by submitApplication, so every channel says the same thing.
const bodySchema = z
  .object({
    applicant: z
      .object({
        name: z.string(),
        idNumber: z.string(),
        phone: z.string(),
        language: z.enum(SUPPORTED_LANGUAGES).optional(),
      })
      .strict(),
    onBehalfOf: z
      .object({
        name: z.string(),
        phone: z.string(),
        relationship: z.string(),
        consent: z.string(),
      })
      .strict()
      .nullable()
      .optional(),
    household: householdSchema,
    programs: z.array(z.string()).max(50).optional(),
  })
  .strict();

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" } as const;

// With its length declared, the compression middleware leaves a small answer
// (under its 1 kB threshold) as it is instead of running it through zlib.
function json(body: unknown, status: number, extra: Record<string, string> = {}): Response {
  const text = JSON.stringify(body);
  return new Response(text, { status, headers: { ...JSON_HEADERS, "Content-Length": String(Buffer.byteLength(text)), ...extra } });
}

/** Idempotency keys are per caller: one partner's key never meets another's. */
function idempotencyScope(caller: ApiCaller): string {
  return `POST /api/v1/applications ${caller.kind === "env-staff" ? "env-staff" : `token:${caller.id}`}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await translatorFor(request, "validation");
  return methodNotAllowed(t, ALLOWED);
}

export async function action({ request }: ActionFunctionArgs) {
  const { lng, t } = await translatorFor(request, ["validation", "application"]);
  requireMethod(request, ALLOWED, t);
  const caller = await requireApiToken(request, { scopes: ["partner", "staff"] });

  const idempotency = readIdempotencyKey(request);
  if (!idempotency.ok) return apiErrors([{ path: IDEMPOTENCY_HEADER, message: t(`application:idempotency.${idempotency.error}`) }]);

  const parsed = bodySchema.safeParse(await readJsonBody(request, t));
  if (!parsed.success) return apiErrors(zodIssuesToApiErrors(parsed.error.issues, t));
  const body = parsed.data;

  const submit = async (client: Db | Prisma.TransactionClient): Promise<IdempotentAnswer> => {
    const result = await submitApplication(client, {
      applicant: { ...body.applicant, language: body.applicant.language ?? lng },
      onBehalfOf: body.onBehalfOf ?? null,
      household: body.household,
      programs: body.programs ?? null,
      channel: caller.kind === "token" && caller.scope === "partner" ? "partner" : "staff_assisted",
      actor: callerActor(caller),
      createdByTokenId: caller.kind === "token" ? caller.id : null,
    });
    if (!result.ok) {
      const errors = Object.entries(result.errors).map(([path, key]) => ({ path, message: t(`application:errors.${key}`) }));
      return { status: 400, body: { errors } };
    }
    return { status: 201, body: { reference: result.reference, status: result.status } };
  };

  if (idempotency.key === null) {
    const answer = await submit(db);
    return json(answer.body, answer.status);
  }
  const outcome = await withIdempotency(
    db,
    { scope: idempotencyScope(caller), key: idempotency.key, requestHash: requestHash(body) },
    (tx) => submit(tx),
  );
  if (outcome.kind === "mismatch") return apiErrors([{ path: IDEMPOTENCY_HEADER, message: t("application:idempotency.mismatch") }], 422);
  return json(outcome.body, outcome.status, outcome.kind === "replay" ? { "Idempotent-Replayed": "true" } : {});
}
