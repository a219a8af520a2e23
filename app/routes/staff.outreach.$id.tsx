// /staff/outreach/:id: one outreach lead (outreach.view): why it was flagged,
// each flag in plain words with its figures; the people as the departments
// recorded them, masked until the caseworker chooses to see them (?show=1;
// every look, masked or not, is audited, with ids only); the contact history,
// the invitations and the application it led to.
//
// Actions (POST, outreach.work + CSRF; each audited in its own transaction):
// log a contact attempt (kind, outcome, optional note), text an invitation to
// a prefilled application (to the head of the household's mobile, in the
// language chosen), dismiss with a reason. Each form carries the lead's
// version: a page left open while someone else acted gets 409 and the lead
// as it is now; a bad form gets 400 with an error summary.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems, type FieldErrors } from "~/components/form/error-summary";
import { LeadNoteField, LeadRadios } from "~/components/staff/outreach-fields";
import { CsrfInput } from "~/components/staff/csrf-input";
import {
  CONTACT_KINDS,
  CONTACT_OUTCOMES,
  DISMISS_REASONS,
  INVITATION_DAYS,
  LEAD_NOTE_MAX,
  headOfHousehold,
  isContactKind,
  isContactOutcome,
  isDismissReason,
  maskedPerson,
} from "~/domain/leads";
import { explainOutreachReason } from "~/domain/outreach";
import { can } from "~/domain/staff/permissions";
import { formatShanghai } from "~/domain/time/shanghai-format";
import { isLanguage, SUPPORTED_LANGUAGES } from "~/i18n";
import { dismissLead, getLead, logLeadContact, readDismissReason, sendLeadInvitation, staffUsernames, type LeadActionResult } from "~/models/outreach-leads.server";
import { recordAudit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { requireStaff, requireStaffAction, staffActor } from "~/services/staff-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";

export const handle = { i18n: ["common", "staff", "leads", "outreach"] };

const NO_STORE = { "Cache-Control": "private, no-store" };
const DONE = ["contact", "invite", "dismiss"] as const;
type Done = (typeof DONE)[number];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "outreach.view");
  const lead = await getLead(db, params.id ?? "");
  if (!lead) throw new Response(null, { status: 404 });
  const url = new URL(request.url);
  const show = url.searchParams.get("show") === "1";
  const { lng, t } = await translatorFor(request, ["leads", "outreach", "staff", "common"]);
  const { actor, actorName } = staffActor(ctx);
  // Masked or not, a lead is about people: each look is on the record; showing them in full says so.
  await recordAudit(db, {
    actor,
    actorName,
    action: show ? "view_outreach_people" : "view_outreach_lead",
    subjectType: "outreach_lead",
    subjectId: lead.id,
    detail: { status: lead.status, people: lead.people.length },
  });
  const names = await staffUsernames(db, lead.contacts.map((c) => c.staffId));
  const head = headOfHousehold(lead.people);
  const when = (at: Date) => formatShanghai(lng, at, "dateTimeLong");
  const done = url.searchParams.get("done");
  const dismissed = readDismissReason(lead.dismissReason);
  const open = lead.status !== "dismissed" && lead.status !== "applied";
  return json(
    {
      pageTitle: `${hasFormErrors(context) ? t("common:errorPrefix") : ""}${t("leads:lead.title", { household: lead.householdId })} – ${t("staff:layout.console")}`,
      id: lead.id,
      version: lead.updatedAt.toISOString(),
      householdId: lead.householdId,
      dataDate: lead.dataDate,
      status: lead.status,
      members: lead.members,
      perCapitaIncome: (lead.perCapitaIncomeFen / 100).toFixed(2),
      flags: lead.flags,
      reasons: lead.reasons.map((r) => ({ passed: r.passed, text: explainOutreachReason(t, r) })),
      show,
      people: lead.people.map((p) => {
        const shown = show ? p : maskedPerson(p);
        return { key: p.personId, name: shown.name, idNumber: shown.idNumber, phone: shown.phone, relation: p.relation, head: p === head };
      }),
      headHasMobile: Boolean(head?.mobile),
      contacts: lead.contacts.map((c) => ({ id: c.id, at: when(c.at), who: names[c.staffId] ?? "", kind: c.kind, outcome: c.outcome, note: c.note })),
      invitations: lead.invitations.map((i) => ({ id: i.id, sent: when(i.createdAt), expires: when(i.expiresAt), used: i.usedAt ? when(i.usedAt) : null })),
      application: lead.application,
      dismissed,
      canWork: can(ctx.staff.role, "outreach.work") && open,
      mayOpenCases: can(ctx.staff.role, "case.view"),
      done: (DONE as readonly string[]).includes(done ?? "") ? (done as Done) : null,
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

export interface LeadActionData {
  intent: string;
  errors: FieldErrors;
  message?: string;
}

function noteOf(form: FormData, id: string, errors: FieldErrors, t: TFunction): string | null {
  const raw = form.get("note");
  const note = typeof raw === "string" ? raw.trim() : "";
  if (Array.from(note).length > LEAD_NOTE_MAX) errors[id] = t("leads:errors.noteTooLong", { max: LEAD_NOTE_MAX });
  return note === "" ? null : note;
}

function refusal(t: TFunction, result: Exclude<LeadActionResult, { ok: true }>, intent: string, context: unknown): Response {
  markFormErrors(context as never);
  const status = result.error === "notFound" ? 404 : 409;
  return json<LeadActionData>({ intent, errors: {}, message: t(`leads:errors.${result.error}`) }, { status, headers: NO_STORE });
}

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("staff.outreach.lead", guardedAction)(args);
}

async function guardedAction({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form, "outreach.work");
  const { t } = await translatorFor(request, ["leads", "common"]);
  const leadId = params.id ?? "";
  const intent = String(form.get("intent") ?? "");
  const version = String(form.get("version") ?? "");
  const { actor, actorName } = staffActor(ctx);
  const who = { staffId: ctx.staff.id, actor, actorName };
  const errors: FieldErrors = {};
  const invalid = () => {
    markFormErrors(context);
    return json<LeadActionData>({ intent, errors }, { status: 400, headers: NO_STORE });
  };
  const back = (done: Done) => redirect(`/staff/outreach/${encodeURIComponent(leadId)}?done=${done}`, { status: 303, headers: NO_STORE });

  let result: LeadActionResult;
  switch (intent) {
    case "contact": {
      const kind = form.get("kind");
      const outcome = form.get("outcome");
      const note = noteOf(form, "contact-note", errors, t);
      if (!isContactKind(kind)) errors.kind = t("leads:errors.kindRequired");
      if (!isContactOutcome(outcome)) errors.outcome = t("leads:errors.outcomeRequired");
      if (Object.keys(errors).length > 0 || !isContactKind(kind) || !isContactOutcome(outcome)) return invalid();
      result = await logLeadContact(db, { leadId, version, kind, outcome, note, who });
      break;
    }
    case "invite": {
      const language = form.get("language");
      if (!isLanguage(language)) {
        errors.language = t("leads:errors.languageRequired");
        return invalid();
      }
      result = await sendLeadInvitation(db, { leadId, version, language, who });
      break;
    }
    case "dismiss": {
      const reason = form.get("reason");
      const note = noteOf(form, "dismiss-note", errors, t);
      if (!isDismissReason(reason)) errors.reason = t("leads:errors.reasonRequired");
      else if (reason === "other" && !note) errors["dismiss-note"] = t("leads:errors.otherNeedsNote");
      if (Object.keys(errors).length > 0 || !isDismissReason(reason)) return invalid();
      result = await dismissLead(db, { leadId, version, reason, note, who });
      break;
    }
    default:
      markFormErrors(context);
      return json<LeadActionData>({ intent, errors: {}, message: t("leads:errors.unknownAction") }, { status: 400, headers: NO_STORE });
  }
  return result.ok ? back(intent) : refusal(t, result, intent, context);
}

export default function LeadPage() {
  const { t } = useTranslation(["leads", "outreach"]);
  const d = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as LeadActionData | undefined;
  const errors: FieldErrors = answer?.errors ?? {};
  return (
    <>
      <p>
        <a href="/staff/outreach" className="back-link">
          {t("lead.back")}
        </a>
      </p>
      <ErrorSummary problems={toProblems(errors)} />
      {answer?.message ? (
        <div className="notice case-problem" role="alert">
          <p>{answer.message}</p>
        </div>
      ) : null}
      {d.done && !answer ? (
        <div className="notice" role="status">
          <p>{t(`done.${d.done}`)}</p>
        </div>
      ) : null}
      <h1>{t("lead.title", { household: d.householdId })}</h1>
      <dl className="summary-list">
        <div className="summary-row">
          <dt>{t("lead.status")}</dt>
          <dd>
            {t(`status.${d.status}`, { defaultValue: d.status })}
            {d.dismissed ? ` (${t(`dismissReasons.${d.dismissed.reason}`, { defaultValue: d.dismissed.reason })}${d.dismissed.note ? `: ${d.dismissed.note}` : ""})` : ""}
          </dd>
        </div>
        <div className="summary-row">
          <dt>{t("lead.dataDate")}</dt>
          <dd>{d.dataDate}</dd>
        </div>
        <div className="summary-row">
          <dt>{t("lead.members")}</dt>
          <dd>{d.members}</dd>
        </div>
        <div className="summary-row">
          <dt>{t("lead.income")}</dt>
          <dd>{t("list.yuan", { value: d.perCapitaIncome })}</dd>
        </div>
        {d.application ? (
          <div className="summary-row">
            <dt>{t("lead.application")}</dt>
            <dd>
              {d.mayOpenCases ? <a href={`/staff/cases/${d.application.reference}`}>{d.application.reference}</a> : d.application.reference} (
              {t(`applicationStatus.${d.application.status}`, { defaultValue: d.application.status })})
            </dd>
          </div>
        ) : null}
      </dl>

      <section aria-labelledby="why-heading">
        <h2 id="why-heading">{t("lead.whyHeading")}</h2>
        <ul className="outreach-reasons">
          {d.reasons.map((r, i) => (
            <li key={i} className={r.passed ? undefined : "hint"}>
              {r.text}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="people-heading">
        <h2 id="people-heading">{t("lead.peopleHeading")}</h2>
        <p>{d.show ? t("lead.peopleShown") : t("lead.peopleMasked")}</p>
        <p>
          {d.show ? (
            <a href={`/staff/outreach/${d.id}`} className="outreach-link">
              {t("lead.hidePeople")}
            </a>
          ) : (
            <a href={`/staff/outreach/${d.id}?show=1`} className="outreach-link">
              {t("lead.showPeople")}
            </a>
          )}
        </p>
        <table className="case-table outreach-people">
          <caption className="visually-hidden">{t("lead.peopleHeading")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("lead.person.name")}</th>
              <th scope="col">{t("lead.person.relation")}</th>
              <th scope="col">{t("lead.person.idNumber")}</th>
              <th scope="col">{t("lead.person.phone")}</th>
            </tr>
          </thead>
          <tbody>
            {d.people.map((p) => (
              <tr key={p.key}>
                <th scope="row" data-label={t("lead.person.name")}>
                  {p.name}
                  {p.head ? <span className="hint"> {t("lead.person.head")}</span> : null}
                </th>
                <td data-label={t("lead.person.relation")}>{t(`relation.${p.relation}`, { defaultValue: p.relation })}</td>
                <td data-label={t("lead.person.idNumber")}>{p.idNumber}</td>
                <td data-label={t("lead.person.phone")}>{p.phone || t("lead.person.noPhone")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {d.canWork ? (
        <section aria-labelledby="actions-heading" className="case-actions">
          <h2 id="actions-heading">{t("actions.heading")}</h2>

          <form method="post" aria-labelledby="contact-heading">
            <CsrfInput />
            <RepeatGuard />
            <input type="hidden" name="intent" value="contact" />
            <input type="hidden" name="version" value={d.version} />
            <h3 id="contact-heading">{t("actions.contactHeading")}</h3>
            <LeadRadios name="kind" legend={t("actions.kind")} error={errors.kind} options={CONTACT_KINDS.map((k) => ({ value: k, label: t(`contactKind.${k}`) }))} />
            <LeadRadios name="outcome" legend={t("actions.outcome")} error={errors.outcome} options={CONTACT_OUTCOMES.map((o) => ({ value: o, label: t(`contactOutcome.${o}`) }))} />
            <LeadNoteField id="contact-note" label={t("actions.note")} hint={t("actions.noteHint", { max: LEAD_NOTE_MAX })} error={errors["contact-note"]} max={LEAD_NOTE_MAX} />
            <button type="submit" className="button">
              {t("actions.contact")}
            </button>
          </form>

          <form method="post" aria-labelledby="invite-heading">
            <CsrfInput />
            <RepeatGuard />
            <input type="hidden" name="intent" value="invite" />
            <input type="hidden" name="version" value={d.version} />
            <h3 id="invite-heading">{t("actions.inviteHeading")}</h3>
            <p>{t("actions.inviteHint", { days: INVITATION_DAYS })}</p>
            {d.headHasMobile ? (
              <>
                <LeadRadios
                  name="language"
                  legend={t("actions.language")}
                  error={errors.language}
                  defaultValue="zh-CN"
                  options={SUPPORTED_LANGUAGES.map((l) => ({ value: l, label: t(`languages.${l}`) }))}
                />
                <button type="submit" className="button">
                  {t("actions.invite")}
                </button>
              </>
            ) : (
              <p className="notice">{t("actions.noMobile")}</p>
            )}
          </form>

          <form method="post" aria-labelledby="dismiss-heading">
            <CsrfInput />
            <RepeatGuard />
            <input type="hidden" name="intent" value="dismiss" />
            <input type="hidden" name="version" value={d.version} />
            <h3 id="dismiss-heading">{t("actions.dismissHeading")}</h3>
            <LeadRadios name="reason" legend={t("actions.reason")} error={errors.reason} options={DISMISS_REASONS.map((r) => ({ value: r, label: t(`dismissReasons.${r}`) }))} />
            <LeadNoteField id="dismiss-note" label={t("actions.dismissNote")} hint={t("actions.dismissNoteHint", { max: LEAD_NOTE_MAX })} error={errors["dismiss-note"]} max={LEAD_NOTE_MAX} />
            <button type="submit" className="button warning">
              {t("actions.dismiss")}
            </button>
          </form>
        </section>
      ) : null}

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">{t("lead.historyHeading")}</h2>
        {d.contacts.length === 0 ? (
          <p>{t("lead.noContacts")}</p>
        ) : (
          <ol className="case-timeline">
            {d.contacts.map((c) => (
              <li key={c.id}>
                <span className="hint">{t("lead.contactWhen", { at: c.at, who: c.who })}</span> {t(`contactKind.${c.kind}`, { defaultValue: c.kind })}:{" "}
                {t(`contactOutcome.${c.outcome}`, { defaultValue: c.outcome })}
                {c.note ? ` – ${c.note}` : ""}
              </li>
            ))}
          </ol>
        )}
        {d.invitations.length > 0 ? (
          <>
            <h3>{t("lead.invitationsHeading")}</h3>
            <ul>
              {d.invitations.map((i) => (
                <li key={i.id}>{i.used ? t("lead.invitationUsed", { sent: i.sent, used: i.used }) : t("lead.invitation", { sent: i.sent, expires: i.expires })}</li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </>
  );
}
