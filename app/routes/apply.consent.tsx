// /apply/consent: when someone applies for another person who agrees by a
// code, we text a 6-digit code to that person's phone (10 minutes, 5 tries)
// and the helper types in what they read out.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems } from "~/components/form/error-summary";
import { TextField } from "~/components/form/text-field";
import { consentStatus, needsConsentCode, readCode, stepReached } from "~/domain/apply";
import { maskPhone } from "~/domain/callback";
import { isLanguage } from "~/i18n";
import { checkConsentCode, loadApplyState, saveApplyDraft, sendConsentCode } from "~/models/application-draft.server";
import { limitCodeSend, retryAfter, waitText } from "~/services/abuse-limits.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { clientIp } from "~/services/track-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";
import { AssistedCsrfField } from "~/components/apply/assisted-csrf";
import { assistedCsrf } from "~/services/apply-csrf.server";

export const handle = { i18n: ["common", "apply"] };

async function consentDraft(request: Request) {
  const loaded = await loadApplyState(db, request);
  const a = loaded.state.answers;
  if (!loaded.draft || !needsConsentCode(a) || consentStatus(a, loaded.state.today) === "cannot_start") throw redirect("/apply");
  return { ...loaded, draft: loaded.draft };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { state } = await consentDraft(request);
  const { t } = await translatorFor(request, ["apply", "common"]);
  const a = state.answers;
  const sent = Boolean(a.consentCodeId && a.consentCodePhone === a.applicant?.phone);
  return json({
    title: pageTitle(t, t("apply:consent.title"), hasFormErrors(context)),
    maskedPhone: maskPhone(a.applicant?.phone ?? ""),
    sent,
    confirmed: consentStatus(a, state.today) === "completed",
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts;
// in staff-assisted mode the staff CSRF token is checked first: app/services/apply-csrf.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return assistedCsrf(repeatGuarded("apply.consent", guardedAction))(args);
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  const { draft, state } = await consentDraft(request);
  const a = state.answers;
  const form = await readForm(request);
  const { lng, t } = await translatorFor(request, ["apply", "common"]);
  const phone = a.applicant?.phone ?? "";
  if (form.get("intent") === "send") {
    const language = isLanguage(draft.language) ? draft.language : lng;
    // Codes asked for from one address (app/services/abuse-limits.server.ts); the phone's own limit is in sendConsentCode.
    const fromHere = await limitCodeSend(clientIp(context));
    if (!fromHere.ok) {
      markFormErrors(context);
      return json({ errors: { code: t("apply:errors.code.tooManyFromHere", { wait: waitText(lng, fromHere) }) } }, { status: 429, headers: retryAfter(fromHere) });
    }
    const codeId = await sendConsentCode(db, { phone, proxyName: a.helper?.name ?? "", language });
    if (!codeId) {
      markFormErrors(context);
      return json({ errors: { code: t("apply:errors.code.tooManySent") } }, { status: 429 });
    }
    const answers = { ...a, consentCodeId: codeId, consentCodePhone: phone };
    delete answers.consentConfirmedAt;
    await saveApplyDraft(db, draft.id, { answers, step: stepReached({ ...state, answers }) });
    return redirect("/apply/consent");
  }
  const code = readCode(typeof form.get("code") === "string" ? String(form.get("code")) : "");
  let problem: string | null = null;
  if (!a.consentCodeId || a.consentCodePhone !== phone) problem = "apply:errors.code.notSent";
  else if (!code) problem = "apply:errors.code.format";
  else {
    const checked = await checkConsentCode(db, a.consentCodeId, phone, code);
    if (checked === "ok") {
      const answers = { ...a, consentConfirmedAt: new Date().toISOString() };
      await saveApplyDraft(db, draft.id, { answers, step: stepReached({ ...state, answers }) });
      return redirect("/apply/household");
    }
    problem = `apply:errors.code.${checked}`;
  }
  markFormErrors(context);
  return json({ errors: { code: t(problem) } }, { status: 400 });
}

export default function ApplyConsent() {
  const { t } = useTranslation("apply");
  const { maskedPhone, sent, confirmed } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  return (
    <>
      <a className="back-link" href="/apply">
        {t("common:back")}
      </a>
      <ErrorSummary problems={toProblems(failed?.errors)} />
      <h1>{t("consent.title")}</h1>
      {confirmed ? <p className="notice">{t("consent.confirmed")}</p> : null}
      <p>{t("consent.lead", { phone: maskedPhone })}</p>
      <form method="post" action="/apply/consent">
        <AssistedCsrfField />
        <RepeatGuard />
        <input type="hidden" name="intent" value="send" />
        <button className={sent ? "button secondary" : "button"} type="submit">
          {t(sent ? "consent.sendAgain" : "consent.send")}
        </button>
      </form>
      {sent ? (
        <form method="post" action="/apply/consent" noValidate>
          <AssistedCsrfField />
          <RepeatGuard />
          <input type="hidden" name="intent" value="check" />
          <TextField
            name="code"
            label={t("consent.codeLabel")}
            hint={t("consent.codeHint", { phone: maskedPhone })}
            error={failed?.errors.code}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={12}
            short
          />
          <button className="button" type="submit">
            {t("common:continue")}
          </button>
        </form>
      ) : null}
      <p>
        <a href="/apply/who">{t("consent.useDocument")}</a>
      </p>
    </>
  );
}
