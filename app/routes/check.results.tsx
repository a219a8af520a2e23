// /check/results: the outcome of the check for each of the nine programmes in
// rule-book order, with the amount, the reasons, what would change it and what
// to do next; and a one-field form asking a caseworker to call back, which
// sends them the answers and the results (source eligibility_review).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ResultCard } from "~/components/check/result-card";
import { ErrorSummary, toProblems } from "~/components/form/error-summary";
import { RateLimitNotice, type RateLimitMessage } from "~/components/form/rate-limit-notice";
import { TextField } from "~/components/form/text-field";
import { dueWords, shanghaiDate } from "~/domain/callback";
import { firstUnanswered, formatNumber, stepPath, toHousehold, type CheckAnswers } from "~/domain/check";
import {
  assessHousehold,
  explainChange,
  explainReason,
  outcomeLabel,
  programDescription,
  programName,
  type Assessment,
} from "~/domain/eligibility";
import { CHECK_JOURNEY } from "~/domain/callback/funnel";
import { recordJourneyStep } from "~/models/journey-step.server";
import { readCheckDraft, saveCheckAnswers, type CheckDraft } from "~/models/check-draft.server";
import { isLimited, queueCallbackWithinLimits, retryAfter, waitText } from "~/services/abuse-limits.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { clientIp } from "~/services/track-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";

export const handle = { i18n: ["common", "check", "rules"] };

const PHONE_FIELD = "phone";

/** The finished draft, or a redirect to where the check should continue. */
async function finishedDraft(request: Request): Promise<CheckDraft> {
  const draft = await readCheckDraft(request);
  if (!draft) throw redirect("/check");
  const next = firstUnanswered(draft.answers);
  if (next) throw redirect(stepPath(next));
  return draft;
}

function assess(answers: CheckAnswers, now: Date): Assessment {
  return assessHousehold(toHousehold(answers), shanghaiDate(now));
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const draft = await finishedDraft(request);
  const now = new Date();
  await recordJourneyStep(db, { journey: CHECK_JOURNEY, draftId: draft.id, step: "results" });
  const { lng, t } = await translatorFor(request, ["check", "rules", "common"]);
  const assessment = assess(draft.answers, now);
  const results = assessment.results.map((r) => ({
    program: r.program,
    outcome: r.outcome,
    amount: r.amount,
    name: programName(t, r.program),
    description: programDescription(t, r.program),
    outcomeLabel: outcomeLabel(t, r.outcome),
    amountText: r.amount ? t(`check:results.amount.${r.amount.period}`, { value: formatNumber(lng, r.amount.value) }) : null,
    reasons: r.reasons.map((reason) => ({ text: explainReason(t, reason), passed: reason.passed })),
    changes: r.changes.map((change) => explainChange(t, change)),
  }));
  const requested = draft.answers.callback;
  let callback: { reference: string; due: string } | null = null;
  if (requested) {
    const words = dueWords(new Date(requested.dueAt), now, lng);
    callback = { reference: requested.reference, due: t(`check:callback.due.${words.day}`, { time: words.time, date: words.date }) };
  }
  const asOfDate = new Intl.DateTimeFormat(lng === "en" ? "en-GB" : "zh-CN", { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(`${assessment.asOf}T00:00:00Z`),
  );
  const hasErrors = hasFormErrors(context);
  return json({
    title: pageTitle(t, t("check:results.title"), hasErrors),
    asOf: assessment.asOf,
    asOfDate,
    rulesVersion: assessment.rulesVersion,
    results,
    callback,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

/** What the caseworker sees with the call-back: the answers, the household and the outcomes. */
function callbackContext(answers: CheckAnswers, assessment: Assessment) {
  const { callback: _earlier, ...given } = answers;
  return {
    check: {
      answers: given,
      household: toHousehold(answers),
      assessment: {
        asOf: assessment.asOf,
        rulesVersion: assessment.rulesVersion,
        results: assessment.results.map((r) => ({ program: r.program, outcome: r.outcome, amount: r.amount, missing: r.missing })),
      },
    },
  };
}

function oldestAge(answers: CheckAnswers): number | null {
  const ages = (answers.people ?? []).slice(0, answers.householdSize).flatMap((p) => (p.age === undefined ? [] : [p.age]));
  return ages.length > 0 ? Math.max(...ages) : null;
}

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("check.results", guardedAction)(args);
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  const draft = await finishedDraft(request);
  // A second tap (or a resent form) must not queue a second call.
  if (draft.answers.callback) return redirect("/check/results#callback");
  const now = new Date();
  const { lng, t } = await translatorFor(request, ["check", "callback", "common"]);
  const form = await readForm(request);
  const phone = form.get(PHONE_FIELD);
  const queued = await queueCallbackWithinLimits(
    db,
    {
      phone: typeof phone === "string" ? phone : "",
      language: lng,
      source: "eligibility_review",
      context: callbackContext(draft.answers, assess(draft.answers, now)),
      oldestAge: oldestAge(draft.answers),
    },
    { ip: clientIp(context), now },
  );
  if (isLimited(queued)) {
    // Too many from this phone or address (app/services/abuse-limits.server.ts): nothing stored.
    markFormErrors(context);
    const limited = { title: t("callback:rateLimited.title"), body: t("callback:rateLimited.body", { wait: waitText(lng, queued.limited) }) };
    return json({ errors: {} as Record<string, string>, phone: typeof phone === "string" ? phone : "", limited }, { status: 429, headers: retryAfter(queued.limited) });
  }
  if (!queued.ok) {
    // Only the phone is typed here; anything else wrong is ours, said plainly on the phone field.
    const key = queued.errors.phone;
    const message = key ? t([`callback:${key}`, "check:callback.failed"]) : t("check:callback.failed");
    markFormErrors(context);
    return json({ errors: { [PHONE_FIELD]: message }, phone: typeof phone === "string" ? phone : "" }, { status: 400 });
  }
  const saved = await saveCheckAnswers(request, {
    ...draft.answers,
    callback: { reference: queued.reference, dueAt: queued.dueAt.toISOString() },
  });
  return redirect("/check/results#callback", { headers: { "Set-Cookie": saved.setCookie } });
}

export default function CheckResults() {
  const { t } = useTranslation("check");
  const { asOfDate, rulesVersion, results, callback } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const eligible = results.filter((r) => r.outcome === "eligible");
  const review = results.filter((r) => r.outcome === "needs_review");
  return (
    <>
      <a className="back-link" href="/check/answers">
        {t("common:back")}
      </a>
      <ErrorSummary problems={toProblems(errors)} />
      <RateLimitNotice message={(actionData as { limited?: RateLimitMessage } | undefined)?.limited} />
      <h1>{t("results.title")}</h1>
      <p className="lead">{t("results.lead", { date: asOfDate })}</p>
      <p className="notice">{t("results.notDecision")}</p>
      {eligible.length > 0 ? (
        <>
          <h2>{t("results.summaryEligible")}</h2>
          <ul className="result-summary">
            {eligible.map((r) => (
              <li key={r.program}>
                <a href={`#result-${r.program}`}>{r.name}</a>
                {r.amountText ? `${t("results.amountSeparator")}${r.amountText}` : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {review.length > 0 ? (
        <>
          <h2>{t("results.summaryReview")}</h2>
          <ul className="result-summary">
            {review.map((r) => (
              <li key={r.program}>
                <a href={`#result-${r.program}`}>{r.name}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {eligible.length === 0 && review.length === 0 ? <p>{t("results.summaryNone")}</p> : null}

      <h2>{t("results.detailsTitle")}</h2>
      {results.map((r) => (
        <ResultCard key={r.program} result={r} />
      ))}

      <section id="callback" className="panel" aria-labelledby="callback-title">
        {callback ? (
          <>
            <h2 id="callback-title">{t("callback.doneTitle")}</h2>
            <p>{t("callback.doneReference", { reference: callback.reference })}</p>
            <p>{callback.due}</p>
            <p>{t("callback.doneAnswers")}</p>
          </>
        ) : (
          <>
            <h2 id="callback-title">{t("callback.title")}</h2>
            <p>{review.length > 0 ? t("callback.leadReview") : t("callback.lead")}</p>
            <form method="post" action="/check/results" noValidate>
              <RepeatGuard />
              <TextField
                name={PHONE_FIELD}
                label={t("callback.phoneLabel")}
                hint={t("callback.phoneHint")}
                error={errors?.[PHONE_FIELD]}
                defaultValue={actionData?.phone ?? ""}
                type="tel"
                inputMode="tel"
                autoComplete="tel"
                maxLength={30}
              />
              <p>{t("callback.sharing")}</p>
              <button className="button" type="submit">
                {t("callback.button")}
              </button>
            </form>
          </>
        )}
      </section>

      <p className="hint">{t("results.rulesVersion", { version: rulesVersion })}</p>
      <ul className="link-list">
        <li>
          <a href="/check/answers">{t("results.changeAnswers")}</a>
        </li>
        <li>
          <a href="/check">{t("results.startAgain")}</a>
        </li>
      </ul>
    </>
  );
}
