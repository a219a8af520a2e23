// /staff/callbacks/<reference>: one call-back for the caseworker. Shows what
// the resident already told us (the source, language, reason, best time, the
// step reached, the answers from the check or the application draft, a chat
// or text conversation) and the calls so far. The full phone number (a tap-to-
// call link) is shown only to the caseworker who took the item; everyone else
// sees it masked. Every view is audited. Actions (queue.work, CSRF-checked):
// take, give back, record a call, mark done; "continue for them" posts to
// ./continue. Supervisors (queue.supervise) may also put the item back in the
// queue whoever holds it, or give it to a caseworker. Each change and its
// audit entry commit in one transaction (app/models/callback.server.ts).
// After an action the page is shown again (POST-redirect-GET) with a short
// notice named in the address; a refused supervisor choice answers 400/409
// with the reason on the page.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ErrorMessage } from "~/components/form/error-message";
import { ErrorSummary, toProblems } from "~/components/form/error-summary";
import { RadioGroup } from "~/components/form/radio-group";
import { CsrfInput } from "~/components/staff/csrf-input";
import { readApplyAnswers } from "~/domain/apply";
import {
  ATTEMPT_NOTE_MAX,
  ATTEMPT_OUTCOMES,
  FAILED_ATTEMPTS_LIMIT,
  isAttemptOutcome,
  isElderly,
  isOverdue,
  isValidReference,
  maskPhone,
  normalizeReference,
  parseShanghaiDateTime,
  REFERENCE_PREFIX,
} from "~/domain/callback";
import { shanghaiTime } from "~/domain/callback/shanghai-time";
import { readAnswers, summarySections } from "~/domain/check";
import { can } from "~/domain/staff/permissions";
import { assignCallback, claimCallback, completeCallback, findCallbackDetail, listAssignees, logCallAttempt, putBackCallback, releaseCallback } from "~/models/callback.server";
import { recordAudit } from "~/services/audit.server";
import { config } from "~/services/config.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { requireStaff, requireStaffAction, staffActor } from "~/services/staff-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";

export const handle = { i18n: ["common", "staff", "queue", "check", "apply", "rules"] };

const NOTICES = ["claimed", "released", "logged", "loggedFlagged", "completed", "takenBySomeone", "notYours", "putBack", "alreadyQueued", "assigned", "alreadyAssigned"] as const;

/** The supervisors' actions (queue.supervise); every other intent needs queue.work. */
const SUPERVISE_INTENTS = ["put_back", "assign"];
type Notice = (typeof NOTICES)[number];

function referenceFrom(params: LoaderFunctionArgs["params"]): string {
  const reference = normalizeReference(params.reference ?? "");
  if (!isValidReference(reference, REFERENCE_PREFIX.callback)) throw new Response("Not found", { status: 404 });
  return reference;
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

interface Row {
  label: string;
  value: string;
}

/** The application draft's answers as labelled rows (ID number already masked when queued). */
function applicationRows(t: TFunction, application: Record<string, unknown>): Row[] {
  const rows: Row[] = [];
  if (typeof application.reference === "string") rows.push({ label: t("queue:detail.answers.applicationReference"), value: application.reference });
  const a = readApplyAnswers(application.answers);
  if (a.forWhom) rows.push({ label: t("queue:detail.answers.forWhom"), value: t(a.forWhom === "self" ? "queue:detail.answers.forWhomSelf" : "queue:detail.answers.forWhomOther") });
  if (a.relationship) rows.push({ label: t("queue:detail.answers.relationship"), value: t(`apply:relationship.${a.relationship}`) });
  if (a.consentMethod) rows.push({ label: t("queue:detail.answers.consentMethod"), value: t(a.consentMethod === "sms" ? "queue:detail.answers.consentSms" : "queue:detail.answers.consentDocument") });
  if (a.applicant?.name) rows.push({ label: t("queue:detail.answers.applicantName"), value: a.applicant.name });
  if (a.applicant?.idNumber) rows.push({ label: t("queue:detail.answers.applicantIdNumber"), value: a.applicant.idNumber });
  if (a.applicant?.phone) rows.push({ label: t("queue:detail.answers.applicantPhone"), value: maskPhone(a.applicant.phone) });
  if (a.helper?.name) rows.push({ label: t("queue:detail.answers.helperName"), value: a.helper.name });
  if (a.helper?.phone) rows.push({ label: t("queue:detail.answers.helperPhone"), value: maskPhone(a.helper.phone) });
  if (a.household !== undefined) rows.push({ label: t("queue:detail.answers.householdConfirmed"), value: t("queue:detail.answers.householdYes") });
  if (a.programs && a.programs.length > 0) rows.push({ label: t("queue:detail.answers.programs"), value: a.programs.map((p) => t(`rules:program.${p}.name`, { defaultValue: p })).join(t("queue:separator")) });
  return rows;
}

function transcriptOf(context: Record<string, unknown>, lng: string): { from: string; text: string; at: string | null }[] {
  const raw = Array.isArray(context.transcript) ? context.transcript : Array.isArray(obj(context.conversation).transcript) ? (obj(context.conversation).transcript as unknown[]) : [];
  return raw.slice(-200).flatMap((entry) => {
    const e = obj(entry);
    if (typeof e.text !== "string") return [];
    const from = e.from === "resident" || e.from === "bot" || e.from === "staff" ? e.from : "resident";
    const at = typeof e.at === "string" && !Number.isNaN(Date.parse(e.at)) ? shanghaiTime(lng, new Date(e.at)) : null;
    return [{ from, text: e.text, at }];
  });
}

export async function loader({ request, params, context: loadContext }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "queue.view");
  const reference = referenceFrom(params);
  const item = await findCallbackDetail(db, reference);
  if (!item) throw new Response("Not found", { status: 404 });
  const { actor, actorName } = staffActor(ctx);
  await recordAudit(db, { actor, actorName, action: "view_callback", subjectType: "callback", subjectId: reference, detail: { status: item.status } });

  const { lng, t } = await translatorFor(request, ["queue", "check", "apply", "rules", "staff", "common"]);
  const now = new Date();
  const mine = item.status === "claimed" && item.claimedById === ctx.staff.id;
  const context = obj(item.context);
  const check = obj(context.check);
  const application = obj(context.application);
  const checkAnswers = check.answers !== undefined ? readAnswers(check.answers) : null;
  // The application's task reached (web_abandoned) or the chat/SMS step (context.step, from the bot).
  const step = typeof application.step === "string" ? application.step : typeof context.step === "string" ? context.step : null;
  const notice = new URL(request.url).searchParams.get("notice");

  return json(
    {
      pageTitle: `${hasFormErrors(loadContext) ? t("common:errorPrefix") : ""}${t("queue:detail.title", { reference })} – ${t("staff:layout.console")}`,
      notice: (NOTICES as readonly string[]).includes(notice ?? "") ? (notice as Notice) : null,
      reference,
      // The full number goes to the browser only for the caseworker holding the item.
      phone: mine ? item.phone : null,
      maskedPhone: maskPhone(item.phone),
      name: item.name,
      language: item.language,
      source: item.source,
      reason: item.reason,
      bestTime: item.bestTime,
      oldestAge: item.oldestAge,
      urgent: item.urgent,
      elderly: isElderly(item.oldestAge),
      asked: shanghaiTime(lng, item.createdAt),
      due: shanghaiTime(lng, item.dueAt),
      overdue: item.status !== "done" && isOverdue(item.dueAt, now),
      status: item.status,
      mine,
      claimedByName: item.claimedById && !mine ? item.claimedByName : null,
      flagged: item.flaggedAt !== null,
      failedAttempts: item.failedAttempts,
      step,
      checkSections: checkAnswers && Object.keys(checkAnswers).length > 0 ? summarySections(t, lng, checkAnswers).map((s) => ({ title: s.title, rows: s.rows.map((r) => ({ field: r.field, label: r.label, value: r.value })) })) : [],
      applicationRows: applicationRows(t, application),
      transcript: transcriptOf(context, lng),
      attempts: item.attempts.map((a) => ({
        at: shanghaiTime(lng, a.at),
        outcome: a.outcome,
        note: a.note,
        callAgainAt: a.callAgainAt ? shanghaiTime(lng, a.callAgainAt) : null,
      })),
      canWork: can(ctx.staff.role, "queue.work"),
      // Supervisors: put back / give to someone, while the item is open.
      assignees:
        can(ctx.staff.role, "queue.supervise") && (item.status === "queued" || item.status === "claimed")
          ? (await listAssignees(db)).map((a) => ({ id: a.id, label: `${a.displayName} (${a.username})`, current: item.status === "claimed" && a.id === item.claimedById }))
          : null,
      hasDraft: item.draftId !== null,
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

type FieldErrors = Partial<Record<"outcome" | "laterDate" | "note" | "assignTo", string>>;
/** A refused form: field errors (and what was typed), or a reason for the whole page (refused). */
type ActionAnswer = { errors: FieldErrors; values: { outcome: string; note: string; laterDate: string; laterTime: string } | null; refused?: string };

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("staff.callbacks.item", guardedAction)(args);
}

async function guardedAction({ request, params, context: loadContext }: ActionFunctionArgs) {
  const form = await readForm(request);
  const intent = form.get("intent");
  const ctx = await requireStaffAction(request, form, SUPERVISE_INTENTS.includes(String(intent)) ? "queue.supervise" : "queue.work");
  const reference = referenceFrom(params);
  // Each change below writes its audit entry in its own transaction (the model does).
  const who = staffActor(ctx);
  const back = (notice: Notice) => redirect(`/staff/callbacks/${reference}?notice=${notice}`, 303);

  if (intent === "claim") {
    const claimed = await claimCallback(db, reference, ctx.staff.id, new Date(), who);
    if (!claimed.ok && claimed.reason === "notFound") throw new Response("Not found", { status: 404 });
    if (!claimed.ok) return back("takenBySomeone");
    return back("claimed");
  }
  if (intent === "release") {
    if (!(await releaseCallback(db, reference, ctx.staff.id, new Date(), who))) return back("notYours");
    return redirect("/staff/callbacks", 303);
  }
  if (intent === "done") {
    if (!(await completeCallback(db, reference, ctx.staff.id, new Date(), undefined, who))) return back("notYours");
    return back("completed");
  }
  if (intent === "put_back" || intent === "assign") {
    const { t } = await translatorFor(request, ["queue"]);
    const assignTo = form.get("assignTo");
    const result =
      intent === "put_back"
        ? await putBackCallback(db, reference, who)
        : typeof assignTo === "string" && assignTo !== ""
          ? await assignCallback(db, reference, assignTo, who)
          : ({ ok: false, reason: "badAssignee" } as const);
    if (!result.ok && result.reason === "notFound") throw new Response("Not found", { status: 404 });
    if (!result.ok) {
      markFormErrors(loadContext);
      if (result.reason === "badAssignee") {
        return json<ActionAnswer>(
          { errors: { assignTo: t(typeof assignTo === "string" && assignTo !== "" ? "queue:errors.assignTo.unknown" : "queue:errors.assignTo.required") }, values: null },
          { status: 400 },
        );
      }
      // Done or cancelled meanwhile: nothing to put back or give.
      return json<ActionAnswer>({ errors: {}, values: null, refused: t("queue:errors.supervise.closed") }, { status: 409 });
    }
    if (intent === "put_back") return back(result.changed ? "putBack" : "alreadyQueued");
    return back(result.changed ? "assigned" : "alreadyAssigned");
  }
  if (intent === "attempt") {
    const { t } = await translatorFor(request, ["queue"]);
    const outcome = form.get("outcome");
    const note = typeof form.get("note") === "string" ? String(form.get("note")) : "";
    const laterDate = typeof form.get("laterDate") === "string" ? String(form.get("laterDate")) : "";
    const laterTime = typeof form.get("laterTime") === "string" ? String(form.get("laterTime")) : "";
    const values = { outcome: typeof outcome === "string" ? outcome : "", note, laterDate, laterTime };
    const errors: FieldErrors = {};
    if (!isAttemptOutcome(outcome)) errors.outcome = t("queue:errors.outcome.required");
    const callAgainAt = outcome === "call_later" ? parseShanghaiDateTime(laterDate, laterTime) : null;
    if (outcome === "call_later" && !callAgainAt) errors.laterDate = t("queue:errors.callAgainAt.required");
    if ([...note].length > ATTEMPT_NOTE_MAX) errors.note = t("queue:errors.note.tooLong");
    if (Object.keys(errors).length > 0 || !isAttemptOutcome(outcome)) {
      markFormErrors(loadContext);
      return json<ActionAnswer>({ errors, values }, { status: 400 });
    }
    const logged = await logCallAttempt(db, { reference, staffId: ctx.staff.id, outcome, note, callAgainAt, publicUrl: config().publicUrl, who });
    if (!logged.ok && logged.reason === "notClaimed") return back("notYours");
    if (!logged.ok) {
      markFormErrors(loadContext);
      const fieldErrors: FieldErrors = {};
      if (logged.errors.callAgainAt) fieldErrors.laterDate = t(`queue:errors.${logged.errors.callAgainAt}`);
      if (logged.errors.note) fieldErrors.note = t(`queue:errors.${logged.errors.note}`);
      return json<ActionAnswer>({ errors: fieldErrors, values }, { status: 400 });
    }
    return back(logged.flagged ? "loggedFlagged" : "logged");
  }
  // No form sends anything else.
  throw new Response("Bad request", { status: 400 });
}

export default function CallbackDetail() {
  const { t } = useTranslation(["queue", "check"]);
  const d = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errors: FieldErrors = failed?.errors ?? {};
  const values = failed?.values;
  const refused = failed?.refused ?? null;
  const reasons = [d.urgent ? t("tags.urgent") : null, d.elderly ? t("tags.elderly") : null, d.failedAttempts > 0 ? t("tags.failed", { count: d.failedAttempts }) : null].filter(
    (r): r is string => r !== null,
  );
  const statusText =
    d.status === "claimed"
      ? d.mine
        ? t("status.claimedByYou")
        : d.claimedByName
          ? t("status.claimedBy", { name: d.claimedByName })
          : t("status.claimedBySomeone")
      : t(`status.${d.status}`);
  return (
    <>
      <a className="back-link" href="/staff/callbacks">
        {t("detail.back")}
      </a>
      <ErrorSummary problems={toProblems(errors)} />
      <h1>{t("detail.title", { reference: d.reference })}</h1>
      {d.notice ? (
        <p className="notice" role="status">
          {t(`detail.${d.notice}`)}
        </p>
      ) : null}
      {refused ? (
        <p className="notice" role="alert">
          {refused}
        </p>
      ) : null}
      {d.flagged ? <p className="notice queue-flag-notice">{t("detail.flaggedNotice", { count: Math.max(d.failedAttempts, FAILED_ATTEMPTS_LIMIT) })}</p> : null}
      {d.status === "done" ? <p className="notice">{t("detail.doneNotice")}</p> : null}
      {d.status === "claimed" && !d.mine ? <p className="notice">{d.claimedByName ? t("detail.claimedByOther", { name: d.claimedByName }) : t("detail.claimedByOtherUnknown")}</p> : null}

      <h2>{t("detail.summary")}</h2>
      <dl className="summary-list">
        <div className="summary-row">
          <dt>{t("detail.phone")}</dt>
          <dd>
            {d.phone ? (
              <a href={`tel:${d.phone}`} className="queue-call">
                {t("detail.call", { phone: d.phone })}
              </a>
            ) : (
              <>
                {d.maskedPhone}
                <span className="hint queue-block-hint">{t("detail.phoneHidden")}</span>
              </>
            )}
          </dd>
        </div>
        {d.name ? (
          <div className="summary-row">
            <dt>{t("detail.name")}</dt>
            <dd>{d.name}</dd>
          </div>
        ) : null}
        <div className="summary-row">
          <dt>{t("detail.language")}</dt>
          <dd>{t(`languages.${d.language}`, { defaultValue: d.language })}</dd>
        </div>
        <div className="summary-row">
          <dt>{t("detail.source")}</dt>
          <dd>{t(`source.${d.source}`, { defaultValue: d.source })}</dd>
        </div>
        <div className="summary-row">
          <dt>{t("detail.reason")}</dt>
          <dd className="queue-pre">{d.reason ?? t("detail.notGiven")}</dd>
        </div>
        <div className="summary-row">
          <dt>{t("detail.bestTime")}</dt>
          <dd>{d.bestTime ? t(`detail.bestTimes.${d.bestTime}`, { defaultValue: d.bestTime }) : t("detail.notGiven")}</dd>
        </div>
        {d.oldestAge !== null ? (
          <div className="summary-row">
            <dt>{t("detail.oldestAge")}</dt>
            <dd>{t("detail.years", { age: d.oldestAge })}</dd>
          </div>
        ) : null}
        <div className="summary-row">
          <dt>{t("detail.priority")}</dt>
          <dd>{reasons.length > 0 ? reasons.join(t("separator")) : t("tags.none")}</dd>
        </div>
        <div className="summary-row">
          <dt>{t("detail.asked")}</dt>
          <dd>{d.asked}</dd>
        </div>
        <div className="summary-row">
          <dt>{t("detail.due")}</dt>
          <dd>
            {d.due}
            {d.overdue ? <span className="tag queue-overdue">{t("tags.overdue")}</span> : null}
          </dd>
        </div>
        <div className="summary-row">
          <dt>{t("detail.status")}</dt>
          <dd>{statusText}</dd>
        </div>
        {d.step ? (
          <div className="summary-row">
            <dt>{t("detail.stepReached")}</dt>
            <dd>{t(`detail.steps.${d.step}`, { defaultValue: d.step })}</dd>
          </div>
        ) : null}
      </dl>

      {d.canWork && d.status !== "done" && d.status !== "cancelled" ? (
        <section aria-labelledby="actions-heading">
          <h2 id="actions-heading">{t("detail.actions")}</h2>
          {d.status === "queued" ? (
            <form method="post">
              <CsrfInput />
              <RepeatGuard />
              <input type="hidden" name="intent" value="claim" />
              <button type="submit" className="button">
                {t("detail.claim")}
              </button>
            </form>
          ) : null}
          {d.mine ? (
            <>
              <form method="post" action={`/staff/callbacks/${d.reference}/continue`}>
                <CsrfInput />
                <RepeatGuard />
                <p className="hint" id="continue-hint">
                  {t(d.hasDraft ? "detail.continueHint" : "detail.continueStartHint")}
                </p>
                <button type="submit" className="button" aria-describedby="continue-hint">
                  {t("detail.continue")}
                </button>
              </form>
              <form method="post" noValidate className="queue-attempt">
                <CsrfInput />
                <RepeatGuard />
                <input type="hidden" name="intent" value="attempt" />
                <h3>{t("detail.logTitle")}</h3>
                <RadioGroup
                  name="outcome"
                  legend={t("detail.outcomeLegend")}
                  error={errors.outcome}
                  defaultValue={values?.outcome}
                  options={ATTEMPT_OUTCOMES.map((o) => ({ value: o, label: t(`detail.outcomes.${o}`) }))}
                />
                <div className={errors.laterDate ? "field has-error" : "field"}>
                  <fieldset aria-describedby={["later-hint", errors.laterDate ? "laterDate-error" : null].filter(Boolean).join(" ")}>
                    <legend>{t("detail.laterLegend")}</legend>
                    <p className="hint" id="later-hint">
                      {t("detail.laterHint")}
                    </p>
                    {errors.laterDate ? <ErrorMessage id="laterDate-error" message={errors.laterDate} /> : null}
                    <div className="queue-later">
                      <div>
                        <label htmlFor="laterDate">{t("detail.laterDate")}</label>
                        <input id="laterDate" name="laterDate" type="text" inputMode="numeric" autoComplete="off" className="input-short" defaultValue={values?.laterDate} aria-invalid={errors.laterDate ? true : undefined} />
                      </div>
                      <div>
                        <label htmlFor="laterTime">{t("detail.laterTime")}</label>
                        <input id="laterTime" name="laterTime" type="text" inputMode="numeric" autoComplete="off" className="input-short" defaultValue={values?.laterTime} aria-invalid={errors.laterDate ? true : undefined} />
                      </div>
                    </div>
                  </fieldset>
                </div>
                <div className={errors.note ? "field has-error" : "field"}>
                  <label htmlFor="note">{t("detail.noteLabel")}</label>
                  <p className="hint" id="note-hint">
                    {t("detail.noteHint")}
                  </p>
                  {errors.note ? <ErrorMessage id="note-error" message={errors.note} /> : null}
                  <textarea
                    id="note"
                    name="note"
                    rows={3}
                    defaultValue={values?.note}
                    aria-describedby={["note-hint", errors.note ? "note-error" : null].filter(Boolean).join(" ")}
                    aria-invalid={errors.note ? true : undefined}
                  />
                </div>
                <button type="submit" className="button">
                  {t("detail.save")}
                </button>
              </form>
              <div className="queue-buttons">
                <form method="post">
                  <CsrfInput />
                  <RepeatGuard />
                  <input type="hidden" name="intent" value="done" />
                  <button type="submit" className="button secondary">
                    {t("detail.markDone")}
                  </button>
                </form>
                <form method="post">
                  <CsrfInput />
                  <RepeatGuard />
                  <input type="hidden" name="intent" value="release" />
                  <button type="submit" className="button secondary">
                    {t("detail.release")}
                  </button>
                </form>
              </div>
            </>
          ) : null}
        </section>
      ) : null}

      {d.assignees ? (
        <section aria-labelledby="supervise-heading">
          <h2 id="supervise-heading">{t("detail.supervise.title")}</h2>
          <p>{t(d.status === "claimed" ? "detail.supervise.lead" : "detail.supervise.leadQueued")}</p>
          {d.status === "claimed" ? (
            <form method="post">
              <CsrfInput />
              <RepeatGuard />
              <input type="hidden" name="intent" value="put_back" />
              <p className="hint" id="put-back-hint">
                {t("detail.supervise.putBackHint")}
              </p>
              <button type="submit" className="button secondary" aria-describedby="put-back-hint">
                {t("detail.supervise.putBack")}
              </button>
            </form>
          ) : null}
          <form method="post" noValidate>
            <CsrfInput />
            <RepeatGuard />
            <input type="hidden" name="intent" value="assign" />
            <div className={errors.assignTo ? "field has-error" : "field"}>
              <label className="label" htmlFor="assignTo">
                {t("detail.supervise.assignLabel")}
              </label>
              <p className="hint" id="assignTo-hint">
                {t("detail.supervise.assignHint")}
              </p>
              {errors.assignTo ? <ErrorMessage id="assignTo-error" message={errors.assignTo} /> : null}
              <select
                id="assignTo"
                name="assignTo"
                defaultValue=""
                aria-describedby={["assignTo-hint", errors.assignTo ? "assignTo-error" : null].filter(Boolean).join(" ")}
                aria-invalid={errors.assignTo ? true : undefined}
              >
                <option value="">{t("detail.supervise.choose")}</option>
                {d.assignees.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.current ? t("detail.supervise.holds", { name: a.label }) : a.label}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button secondary">
              {t("detail.supervise.assign")}
            </button>
          </form>
        </section>
      ) : null}

      {d.applicationRows.length > 0 ? (
        <>
          <h2>{t("detail.applicationAnswers")}</h2>
          <dl className="summary-list">
            {d.applicationRows.map((row) => (
              <div className="summary-row" key={row.label}>
                <dt>{row.label}</dt>
                <dd>{row.value}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}

      {d.checkSections.length > 0 ? (
        <>
          <h2>{t("detail.checkAnswers")}</h2>
          {d.checkSections.map((section) => (
            <div key={section.title}>
              <h3>{section.title}</h3>
              <dl className="summary-list">
                {section.rows.map((row) => (
                  <div className="summary-row" key={row.field}>
                    <dt>{row.label}</dt>
                    <dd>{row.value}</dd>
                  </div>
                ))}
              </dl>
            </div>
          ))}
        </>
      ) : null}

      {d.transcript.length > 0 ? (
        <>
          <h2 id="transcript-heading">{t("detail.transcript")}</h2>
          <ol className="queue-transcript" aria-labelledby="transcript-heading">
            {d.transcript.map((m, i) => (
              <li key={i} className={`queue-message from-${m.from}`}>
                <p className="queue-message-meta">
                  <strong>{t(`detail.from.${m.from}`)}</strong>
                  {m.at ? <span> · {m.at}</span> : null}
                </p>
                <p className="queue-pre">{m.text}</p>
              </li>
            ))}
          </ol>
        </>
      ) : null}

      <h2>{t("detail.attempts")}</h2>
      {d.attempts.length === 0 ? (
        <p>{t("detail.noAttempts")}</p>
      ) : (
        <table className="queue-table">
          <caption>{t("detail.attemptsCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("detail.attemptWhen")}</th>
              <th scope="col">{t("detail.attemptOutcome")}</th>
              <th scope="col">{t("detail.attemptNote")}</th>
            </tr>
          </thead>
          <tbody>
            {d.attempts.map((a, i) => (
              <tr key={i}>
                <td data-label={t("detail.attemptWhen")}>{a.at}</td>
                <td data-label={t("detail.attemptOutcome")}>
                  {t(`detail.outcomes.${a.outcome}`)}
                  {a.callAgainAt ? <span className="hint queue-block-hint">{t("detail.callAgainAt", { when: a.callAgainAt })}</span> : null}
                </td>
                <td data-label={t("detail.attemptNote")} className="queue-pre">
                  {a.note ?? ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
