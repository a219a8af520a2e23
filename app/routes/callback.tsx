// /callback: ask for a caseworker to phone back. One short form; bad input
// comes back with 400, an error summary and each field's message; success
// redirects (POST-redirect-GET) to /callback/done/<reference>, which shows the
// masked number only. A web check draft in this browser goes along as context
// (and gives the oldest age when the form leaves it blank).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorMessage } from "~/components/form/error-message";
import { ErrorSummary, toProblems, type FieldErrors } from "~/components/form/error-summary";
import { RadioGroup } from "~/components/form/radio-group";
import { RateLimitNotice, type RateLimitMessage } from "~/components/form/rate-limit-notice";
import { TextField } from "~/components/form/text-field";
import { BEST_TIMES, CALLBACK_LANGUAGES, parseAge, validateCallback, type CallbackInput } from "~/domain/callback";
import type { CheckAnswers } from "~/domain/check";
import { isLanguage } from "~/i18n";
import { readCheckDraft } from "~/models/check-draft.server";
import { isLimited, queueCallbackWithinLimits, retryAfter, waitText } from "~/services/abuse-limits.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { clientIp } from "~/services/track-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";

export const handle = { i18n: ["common", "callback"] };


/** Field ids in page order: the error summary lists problems in this order. */
const FIELDS = ["phone", "name", "language", "bestTime", "urgent", "oldestAge", "reason"] as const;

interface FormValues {
  phone: string;
  name: string;
  language: string;
  bestTime: string;
  urgent: boolean;
  oldestAge: string;
  reason: string;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { lng, t } = await translatorFor(request, ["callback", "common"]);
  const draft = await readCheckDraft(request);
  const hasErrors = hasFormErrors(context);
  return json({ lng, hasCheckDraft: draft !== null, pageTitle: pageTitle(t, t("callback:title"), hasErrors) }, { headers: { "Cache-Control": "private, no-store" } });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

/**
 * The check answers so far, shaped like the check results page's context
 * ({ check: { answers } }) so staff read one format. Not the draft id: it is
 * the cookie's secret.
 */
function checkContext(answers: CheckAnswers, updatedAt: Date) {
  const { callback: _earlier, ...given } = answers;
  return { check: { answers: given, updatedAt: updatedAt.toISOString() } };
}

/** When the form's age is left blank, the check may already say who is oldest. */
function oldestInCheck(answers: CheckAnswers): number | null {
  const ages = (answers.people ?? []).slice(0, answers.householdSize).flatMap((p) => (typeof p.age === "number" ? [p.age] : []));
  return ages.length > 0 ? Math.max(...ages) : null;
}

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("callback", guardedAction)(args);
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  const { lng, t } = await translatorFor(request, ["callback", "common"]);
  const form = await readForm(request);
  const values: FormValues = {
    phone: text(form, "phone"),
    name: text(form, "name"),
    language: text(form, "language"),
    bestTime: text(form, "bestTime"),
    urgent: form.get("urgent") === "yes",
    oldestAge: text(form, "oldestAge"),
    reason: text(form, "reason"),
  };
  const age = parseAge(values.oldestAge);
  const draft = await readCheckDraft(request);
  const input: CallbackInput = {
    phone: values.phone,
    name: values.name,
    // No choice sent (a form without the radios): the page's language.
    language: (values.language === "" ? lng : values.language) as CallbackInput["language"],
    source: "web_request",
    reason: values.reason,
    bestTime: values.bestTime,
    urgent: values.urgent,
    oldestAge: age.ok ? (age.age ?? (draft ? oldestInCheck(draft.answers) : null)) : null,
    context: draft ? checkContext(draft.answers, draft.updatedAt) : undefined,
  };

  let keys: Record<string, string>;
  if (!age.ok) {
    // Report the age together with anything else wrong, and store nothing.
    const others = validateCallback(input);
    keys = { ...(others.ok ? {} : others.errors), oldestAge: age.error };
  } else {
    const result = await queueCallbackWithinLimits(db, input, { ip: clientIp(context) });
    if (result.ok) return redirect(`/callback/done/${result.reference}`, { status: 303 });
    if (isLimited(result)) {
      // Too many from this phone or address (app/services/abuse-limits.server.ts): nothing stored.
      markFormErrors(context);
      const limited = { title: t("callback:rateLimited.title"), body: t("callback:rateLimited.body", { wait: waitText(lng, result.limited) }) };
      return json({ errors: {} as FieldErrors, values, limited }, { status: 429, headers: retryAfter(result.limited) });
    }
    keys = result.errors;
  }

  const errors: FieldErrors = {};
  for (const field of FIELDS) if (keys[field]) errors[field] = t(`callback:${keys[field]}`);
  // Only the check context can fail outside the form's own fields; show it on the first field.
  for (const [field, key] of Object.entries(keys)) {
    if (!(FIELDS as readonly string[]).includes(field) && !errors.phone) errors.phone = t(`callback:${key}`);
  }
  markFormErrors(context);
  return json({ errors, values }, { status: 400 });
}

function TextArea({ name, label, hint, error, defaultValue }: { name: string; label: string; hint: string; error?: string; defaultValue: string }) {
  const describedBy = [`${name}-hint`, error ? `${name}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={error ? "field has-error" : "field"}>
      <label className="label" htmlFor={name}>
        {label}
      </label>
      <p id={`${name}-hint`} className="hint">
        {hint}
      </p>
      {error ? <ErrorMessage id={`${name}-error`} message={error} /> : null}
      <textarea id={name} name={name} rows={5} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
    </div>
  );
}

function UrgentField({ error, defaultChecked }: { error?: string; defaultChecked: boolean }) {
  const { t } = useTranslation("callback");
  const describedBy = ["urgent-hint", "urgent-emergency", error ? "urgent-error" : null].filter(Boolean).join(" ");
  return (
    <div className={error ? "field has-error" : "field"}>
      <fieldset aria-describedby={describedBy}>
        <legend>{t("urgent.legend")}</legend>
        <p id="urgent-hint" className="hint">
          {t("urgent.hint")}
        </p>
        <p id="urgent-emergency" className="callback-emergency">
          {t("urgent.emergency")}
        </p>
        {error ? <ErrorMessage id="urgent-error" message={error} /> : null}
        <div className="choices">
          <div className="choice">
            <input type="checkbox" id="urgent" name="urgent" value="yes" defaultChecked={defaultChecked} />
            <label htmlFor="urgent">{t("urgent.label")}</label>
          </div>
        </div>
      </fieldset>
    </div>
  );
}

export default function CallbackPage() {
  const { t } = useTranslation("callback");
  const { lng, hasCheckDraft } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors ?? {};
  const values = actionData?.values;
  const language = values?.language && isLanguage(values.language) ? values.language : lng;

  return (
    <>
      <ErrorSummary problems={toProblems(errors)} />
      <RateLimitNotice message={(actionData as { limited?: RateLimitMessage } | undefined)?.limited} />
      <h1>{t("title")}</h1>
      <p className="lead">{t("lead")}</p>
      {hasCheckDraft ? <p className="notice">{t("fromCheck")}</p> : null}
      <Form method="post" noValidate>
        <RepeatGuard />
        <TextField
          name="phone"
          type="tel"
          inputMode="tel"
          autoComplete="tel-national"
          label={t("phone.label")}
          hint={t("phone.hint")}
          error={errors.phone}
          defaultValue={values?.phone}
        />
        <TextField name="name" autoComplete="name" label={t("name.label")} hint={t("name.hint")} error={errors.name} defaultValue={values?.name} />
        <RadioGroup
          name="language"
          legend={t("language.legend")}
          error={errors.language}
          defaultValue={language}
          options={CALLBACK_LANGUAGES.map((value) => ({ value, label: t(`language.options.${value}`) }))}
        />
        <RadioGroup
          name="bestTime"
          legend={t("bestTime.legend")}
          hint={t("bestTime.hint")}
          error={errors.bestTime}
          defaultValue={values?.bestTime || "any"}
          options={BEST_TIMES.map((value) => ({ value, label: t(`bestTime.options.${value}`) }))}
        />
        <UrgentField error={errors.urgent} defaultChecked={values?.urgent ?? false} />
        <TextField
          name="oldestAge"
          inputMode="numeric"
          short
          unit={t("oldestAge.unit")}
          label={t("oldestAge.label")}
          hint={t("oldestAge.hint")}
          error={errors.oldestAge}
          defaultValue={values?.oldestAge}
        />
        <TextArea name="reason" label={t("reason.label")} hint={t("reason.hint")} error={errors.reason} defaultValue={values?.reason ?? ""} />
        <p>{t("privacy")}</p>
        <button type="submit" className="button">
          {t("submit")}
        </button>
      </Form>
    </>
  );
}
