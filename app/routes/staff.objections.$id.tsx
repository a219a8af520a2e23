// /staff/objections/:id: one objection to a case on public notice, for a
// supervisor (permission notice.objections; each look audited). The case's
// public summary and reference (with a link to the case), what the sender
// wrote and how to reach them (staff only), and the decision form: uphold
// (the case goes back to manual_review; a reason is required) or dismiss (a
// note is required). POST needs the CSRF token; a bad form answers 400 with
// an error summary, a decided objection or a case no longer on notice 409,
// else a redirect back here with a notice (post/redirect/get).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems } from "~/components/form/error-summary";
import { CsrfInput } from "~/components/staff/csrf-input";
import { fenToYuanText } from "~/domain/case/decision";
import { districtKey } from "~/domain/case/districts";
import { OBJECTION_NOTE_MAX, readObjectionDecision } from "~/domain/case/notice";
import { programName } from "~/domain/eligibility";
import { formatShanghai } from "~/domain/time/shanghai-format";
import { auditObjectionView, decideObjection, getObjection } from "~/models/notice.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { requireStaff, requireStaffAction, staffActor } from "~/services/staff-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";

export const handle = { i18n: ["common", "staff", "notice", "case", "rules"] };

const NO_STORE = { "Cache-Control": "private, no-store" };

function notFound(): Response {
  return new Response(null, { status: 404 });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "notice.objections");
  const objection = await getObjection(db, params.id ?? "");
  if (!objection) throw notFound();
  await auditObjectionView(db, { ...staffActor(ctx), id: objection.id });
  const { lng, t } = await translatorFor(request, ["notice", "case", "rules", "staff", "common"]);
  const c = objection.case;
  const title = t("notice:staff.title", { reference: c.reference });
  const done = new URL(request.url).searchParams.get("done");
  const decided = objection.decidedAt ? formatShanghai(lng, objection.decidedAt, "dateTime") : "";
  return json(
    {
      pageTitle: `${hasFormErrors(context) ? t("common:errorPrefix") : ""}${title} – ${t("staff:layout.console")}`,
      id: objection.id,
      reference: c.reference,
      caseFacts: [
        { label: t("notice:staff.reference"), value: c.reference },
        { label: t("notice:staff.status"), value: t(`case:status.${c.status}.title`) },
        { label: t("notice:staff.maskedName"), value: c.maskedName },
        { label: t("notice:staff.district"), value: c.district ? t(districtKey(c.district)) : t("notice:list.noDistrict") },
        { label: t("notice:staff.help"), value: c.programs.map((p) => programName(t, p)).join(t("notice:list.separator")) },
        { label: t("notice:staff.household"), value: t("notice:list.people", { count: c.householdSize }) },
        { label: t("notice:staff.amount"), value: c.monthlyFen > 0 ? t("notice:list.yuanMonth", { amount: fenToYuanText(c.monthlyFen) }) : t("notice:list.oneOff") },
        ...(c.noticeEndsAt ? [{ label: t("notice:staff.noticeEnds"), value: formatShanghai(lng, c.noticeEndsAt, "dateTime") }] : []),
      ],
      objection: {
        received: formatShanghai(lng, objection.createdAt, "dateTime"),
        reason: objection.reason,
        contact: objection.contact ?? t("notice:staff.noContact"),
        status:
          objection.status === "open"
            ? t("notice:staff.statusOpen")
            : t(objection.status === "upheld" ? "notice:staff.statusUpheld" : "notice:staff.statusDismissed", { date: decided, name: objection.decidedByName ?? "" }),
        note: objection.decisionNote,
      },
      open: objection.status === "open",
      mayUphold: c.status === "public_notice",
      done: done === "upheld" || done === "dismissed" ? done : null,
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

interface DecisionAnswer {
  errors: Record<string, string>;
  message?: string;
}

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("staff.objections.item", guardedAction)(args);
}

async function guardedAction({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form, "notice.objections");
  const { t } = await translatorFor(request, ["notice", "case", "staff", "common"]);
  const id = params.id ?? "";
  const read = readObjectionDecision({ decision: form.get("decision"), note: form.get("note") });
  if (!read.ok) {
    markFormErrors(context);
    const errors = Object.fromEntries(Object.entries(read.errors).map(([field, key]) => [field, t(key, { max: OBJECTION_NOTE_MAX })]));
    return json<DecisionAnswer>({ errors }, { status: 400, headers: NO_STORE });
  }
  const { actor, actorName } = staffActor(ctx);
  const result = await decideObjection(db, { id, outcome: read.outcome, note: read.note, who: { staffId: ctx.staff.id, actor, actorName } });
  if (result.ok) return redirect(`/staff/objections/${encodeURIComponent(id)}?done=${read.outcome}`, { status: 303, headers: NO_STORE });
  if (result.error === "notFound") throw notFound();
  markFormErrors(context);
  const message =
    result.error === "alreadyDecided" ? t("notice:staff.errors.alreadyDecided") : t("notice:staff.errors.notOnNotice", { status: t(`case:status.${result.status}.title`) });
  return json<DecisionAnswer>({ errors: {}, message }, { status: 409, headers: NO_STORE });
}

function Facts({ rows }: { rows: Array<{ label: string; value: string }> }) {
  return (
    <dl className="summary-list">
      {rows.map((r) => (
        <div className="summary-row" key={r.label}>
          <dt>{r.label}</dt>
          <dd>{r.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function ObjectionPage() {
  const { t } = useTranslation("notice");
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as DecisionAnswer | undefined;
  const errors = answer?.errors ?? {};
  const o = data.objection;
  return (
    <>
      <p>
        <a href="/staff/objections" className="back-link">
          {t("staff.back")}
        </a>
      </p>
      <ErrorSummary problems={toProblems(errors)} />
      {answer?.message ? (
        <div className="notice case-problem" role="alert">
          <p>{answer.message}</p>
        </div>
      ) : null}
      {data.done && !answer ? (
        <div className="notice" role="status">
          <p>{t(data.done === "upheld" ? "staff.doneUpheld" : "staff.doneDismissed")}</p>
        </div>
      ) : null}
      <h1>{t("staff.title", { reference: data.reference })}</h1>

      <section aria-labelledby="case-heading">
        <h2 id="case-heading">{t("staff.caseHeading")}</h2>
        <Facts rows={data.caseFacts} />
        <p>
          <a href={`/staff/cases/${data.reference}`} className="case-link">
            {t("staff.caseLink", { reference: data.reference })}
          </a>
        </p>
      </section>

      <section aria-labelledby="objection-heading">
        <h2 id="objection-heading">{t("staff.objectionHeading")}</h2>
        <dl className="summary-list">
          <div className="summary-row">
            <dt>{t("staff.objectionReceived")}</dt>
            <dd>{o.received}</dd>
          </div>
          <div className="summary-row">
            <dt>{t("staff.objectionReason")}</dt>
            <dd className="notice-text">{o.reason}</dd>
          </div>
          <div className="summary-row">
            <dt>{t("staff.objectionContact")}</dt>
            <dd className="notice-text">{o.contact}</dd>
          </div>
          <div className="summary-row">
            <dt>{t("staff.objectionStatus")}</dt>
            <dd>{o.status}</dd>
          </div>
          {o.note ? (
            <div className="summary-row">
              <dt>{t("staff.decisionNote")}</dt>
              <dd className="notice-text">{o.note}</dd>
            </div>
          ) : null}
        </dl>
      </section>

      {data.open ? (
        <section aria-labelledby="decide-heading" className="case-actions">
          <h2 id="decide-heading">{t("staff.decideHeading")}</h2>
          {!data.mayUphold ? <p className="notice">{t("staff.upholdNotPossible")}</p> : null}
          <form method="post" noValidate>
            <CsrfInput />
            <RepeatGuard />
            <div className={errors.decision ? "field has-error" : "field"}>
              <fieldset aria-describedby={errors.decision ? "decision-error" : undefined}>
                <legend>{t("staff.decision")}</legend>
                {errors.decision ? (
                  <p id="decision-error" className="error-message">
                    <span className="visually-hidden">{t("common:errorPrefix")}</span>
                    {errors.decision}
                  </p>
                ) : null}
                <div className="choices">
                  {data.mayUphold ? (
                    <div className="choice">
                      <input type="radio" id="decision" name="decision" value="uphold" />
                      <label htmlFor="decision">{t("staff.uphold")}</label>
                    </div>
                  ) : null}
                  <div className="choice">
                    <input type="radio" id={data.mayUphold ? "decision-1" : "decision"} name="decision" value="dismiss" />
                    <label htmlFor={data.mayUphold ? "decision-1" : "decision"}>{t("staff.dismiss")}</label>
                  </div>
                </div>
              </fieldset>
            </div>
            <div className={errors.note ? "field has-error" : "field"}>
              <label htmlFor="note">{t("staff.note")}</label>
              <p id="note-hint" className="hint">
                {t("staff.noteHint", { max: OBJECTION_NOTE_MAX })}
              </p>
              {errors.note ? (
                <p id="note-error" className="error-message">
                  <span className="visually-hidden">{t("common:errorPrefix")}</span>
                  {errors.note}
                </p>
              ) : null}
              <textarea
                id="note"
                name="note"
                rows={3}
                aria-invalid={errors.note ? true : undefined}
                aria-describedby={["note-hint", errors.note ? "note-error" : null].filter(Boolean).join(" ")}
              />
            </div>
            <button type="submit" className="button">
              {t("staff.submit")}
            </button>
          </form>
        </section>
      ) : null}
    </>
  );
}
