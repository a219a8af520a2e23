// /track: reference + mobile number → a code by text. The answer is the same
// whether or not the number is on the case (no enumeration); only what was
// typed is checked here (400). Too many codes asked for → 429 with a plain
// explanation and a way to get a call back.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems, type FieldErrors } from "~/components/form/error-summary";
import { TextField } from "~/components/form/text-field";
import { RateLimited } from "~/components/track/rate-limited";
import { sendTrackingCode } from "~/models/one-time-code.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { clientIp, commitTrackSession, getTrackSession } from "~/services/track-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";

export const handle = { i18n: ["common", "track"] };

const NO_STORE = { "Cache-Control": "private, no-store" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { t } = await translatorFor(request, ["track", "common"]);
  const session = await getTrackSession(request);
  const expired = new URL(request.url).searchParams.get("expired") === "1";
  return json(
    { expired, reference: session.get("pending")?.reference ?? "", pageTitle: pageTitle(t, t("track:start.title"), hasFormErrors(context)) },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("track", guardedAction)(args);
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  const { t } = await translatorFor(request, ["track", "common"]);
  const form = await readForm(request);
  const values = { reference: text(form, "reference"), phone: text(form, "phone") };
  const result = await sendTrackingCode(db, { ...values, ip: clientIp(context) });
  if (result.ok) {
    const session = await getTrackSession(request);
    session.set("pending", { reference: result.reference, phone: result.phone });
    return redirect("/track/code", { status: 303, headers: { "Set-Cookie": await commitTrackSession(session) } });
  }
  markFormErrors(context);
  if (result.error === "rateLimited") return json({ rateLimited: true, errors: {} as FieldErrors, values }, { status: 429, headers: NO_STORE });
  const errors: FieldErrors = { [result.field]: t(`track:start.errors.${result.error}`) };
  return json({ rateLimited: false, errors, values }, { status: 400, headers: NO_STORE });
}

export default function TrackStart() {
  const { t } = useTranslation("track");
  const { expired, reference } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors ?? {};
  return (
    <>
      <ErrorSummary problems={toProblems(errors)} />
      {actionData?.rateLimited ? <RateLimited /> : null}
      {expired && !actionData ? <p className="notice">{t("start.expired")}</p> : null}
      <h1>{t("start.title")}</h1>
      <p className="lead">{t("start.lead")}</p>
      <p>{t("start.who")}</p>
      <Form method="post" noValidate>
        <RepeatGuard />
        <TextField
          name="reference"
          autoComplete="off"
          label={t("start.reference.label")}
          hint={t("start.reference.hint")}
          error={errors.reference}
          defaultValue={actionData?.values.reference ?? reference}
        />
        <TextField
          name="phone"
          type="tel"
          inputMode="tel"
          autoComplete="tel-national"
          label={t("start.phone.label")}
          hint={t("start.phone.hint")}
          error={errors.phone}
          defaultValue={actionData?.values.phone}
        />
        <button type="submit" className="button">
          {t("start.submit")}
        </button>
      </Form>
      <p>
        <Link to="/callback" className="track-link">
          {t("start.noReference")}
        </Link>
      </p>
    </>
  );
}
