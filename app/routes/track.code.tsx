// /track/code: the 6-digit code from the text (autocomplete="one-time-code",
// a numeric keyboard, pasting allowed with spaces or dashes). Right → signed
// in, on to /track/case. Wrong, expired, used up → 400 with what to do.
// "Send a new code" asks again for the same reference and number (429 when
// too many were sent). The reference and number come from the signed cookie.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems, type FieldErrors } from "~/components/form/error-summary";
import { TextField } from "~/components/form/text-field";
import { RateLimited } from "~/components/track/rate-limited";
import { maskPhone } from "~/domain/callback";
import { sendTrackingCode, verifyTrackingCode } from "~/models/one-time-code.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { clientIp, commitTrackSession, getTrackSession, signIn } from "~/services/track-session.server";
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
  const pending = session.get("pending");
  if (!pending) return redirect("/track", { status: 303 });
  return json(
    { reference: pending.reference, phone: maskPhone(pending.phone), pageTitle: pageTitle(t, t("track:code.title"), hasFormErrors(context)) },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("track.code", guardedAction)(args);
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  const { t } = await translatorFor(request, ["track", "common"]);
  const session = await getTrackSession(request);
  const pending = session.get("pending");
  if (!pending) return redirect("/track", { status: 303 });
  const form = await readForm(request);

  if (form.get("intent") === "resend") {
    const sent = await sendTrackingCode(db, { reference: pending.reference, phone: pending.phone, ip: clientIp(context) });
    if (!sent.ok) {
      markFormErrors(context);
      return json({ rateLimited: true, resent: false, errors: {} as FieldErrors }, { status: 429, headers: NO_STORE });
    }
    return json({ rateLimited: false, resent: true, errors: {} as FieldErrors }, { headers: NO_STORE });
  }

  const code = form.get("code");
  const result = await verifyTrackingCode(db, { reference: pending.reference, phone: pending.phone, code: typeof code === "string" ? code : "" });
  if (result.ok) {
    signIn(session, { applicationId: result.applicationId, role: result.role, phone: pending.phone });
    return redirect("/track/case", { status: 303, headers: { "Set-Cookie": await commitTrackSession(session) } });
  }
  markFormErrors(context);
  const message = result.error === "wrong" ? t("track:code.errors.wrong", { count: result.triesLeft }) : t(`track:code.errors.${result.error}`);
  return json({ rateLimited: false, resent: false, errors: { code: message } as FieldErrors }, { status: 400, headers: NO_STORE });
}

export default function TrackCode() {
  const { t } = useTranslation("track");
  const { reference, phone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors ?? {};
  return (
    <>
      <ErrorSummary problems={toProblems(errors)} />
      {actionData?.rateLimited ? <RateLimited /> : null}
      {actionData?.resent ? (
        <p className="notice" role="status">
          {t("code.resent")}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <RepeatGuard />
        <TextField
          name="code"
          isQuestion
          short
          inputMode="numeric"
          autoComplete="one-time-code"
          label={t("code.title")}
          hint={`${t("code.sent", { phone, reference })} ${t("code.hint")}`}
          error={errors.code}
        />
        <button type="submit" className="button">
          {t("code.submit")}
        </button>
      </Form>
      <h2>{t("code.resendTitle")}</h2>
      <p>{t("code.resendBody")}</p>
      <Form method="post">
        <RepeatGuard />
        <input type="hidden" name="intent" value="resend" />
        <button type="submit" className="button secondary">
          {t("code.resend")}
        </button>
      </Form>
      <p>
        <Link to="/track" className="track-link">
          {t("code.change")}
        </Link>
      </p>
    </>
  );
}
