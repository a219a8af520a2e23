// /staff/cases/:reference: one case for review (case.view; each view audited
// "view_case"): the applicant (ID number and phones masked), who applies for
// them and how they agreed, the household, the rules' results with their
// explanation and rules version, the documents (each opened through the
// authorized download route), the timeline and the decision.
//
// Actions (POST, case.act + CSRF): move on, ask for information, accept or
// reject a document, approve, reject, close. The models write the timeline,
// the audit entry and the texts; this module parses the form and words the
// outcome: 400 with a message for a bad form or a move the case's status does
// not allow (a stale page), 403 when an approval needs a supervisor, else a
// redirect back here (post/redirect/get) with a notice.
import type {
  ActionFunctionArgs,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import {
  ErrorSummary,
  toProblems,
  type FieldErrors,
} from "~/components/form/error-summary";
import { CsrfInput } from "~/components/staff/csrf-input";
import { CaseTasks } from "~/components/staff/case-tasks";
import { FollowUpAnswers } from "~/components/plan/follow-up-answers";
import { staffFollowUps } from "~/models/follow-up.server";
import { caseTaskRows } from "~/models/referral.server";
import { planStatusOf } from "~/models/plan.server";
import { PlanCaseLink, planCaseLinkText } from "~/components/plan/plan-case-link";
import { planAllowed } from "~/domain/plan";
import {
  CASE_REJECTION_REASONS,
  CLOSE_REASONS,
  DOCUMENT_REJECTION_REASONS,
  EVIDENCE_TYPES,
  fenToYuanText,
  isCloseReason,
  isDocumentRejectionReason,
  isEvidenceType,
  NOTE_MAX,
  pickReasons,
  UNDECIDED_STATUSES,
  canTransition,
} from "~/domain/case";
import {
  amountText,
  explainChange,
  explainReason,
  outcomeLabel,
  programName,
  type Household,
} from "~/domain/eligibility";
import { can } from "~/domain/staff/permissions";
import type { Language } from "~/i18n";
import {
  approveCase,
  auditCaseView,
  closeCase,
  getCaseForReview,
  moveCase,
  rejectCase,
  requestInformation,
  reviewEvidence,
  staffNames,
  type CaseForReview,
  type ReviewError,
} from "~/models/case-review.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import {
  requireStaff,
  requireStaffAction,
  staffActor,
  type StaffContext,
} from "~/services/staff-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { formatShanghai } from "~/domain/time/shanghai-format";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";

export const handle = { i18n: ["common", "staff", "cases", "case", "rules", "followup"] };

const NO_STORE = { "Cache-Control": "private, no-store" };

const DONE_NOTICES = [
  "screening",
  "manual_review",
  "request_information",
  "accept_evidence",
  "reject_evidence",
  "approve",
  "reject",
  "close",
] as const;
type Done = (typeof DONE_NOTICES)[number];

function dateTime(lng: Language, at: Date, withTime = true): string {
  return formatShanghai(lng, at, withTime ? "dateTimeLong" : "dateLong");
}

function sizeText(t: TFunction, bytes: number): string {
  return bytes >= 1024 * 1024
    ? t("cases:case.sizeMb", { size: (bytes / (1024 * 1024)).toFixed(1) })
    : t("cases:case.sizeKb", { size: Math.max(1, Math.round(bytes / 1024)) });
}

function yesNo(t: TFunction, value: unknown): string {
  return value === true
    ? t("rules:value.yes")
    : value === false
    ? t("rules:value.no")
    : t("rules:value.unknown");
}

function money(t: TFunction, value: unknown): string {
  return typeof value === "number"
    ? t("cases:case.yuan", { value })
    : t("rules:value.unknown");
}

/** The household as label/value rows a person can read, in the page's language. */
function householdRows(t: TFunction, household: Household) {
  const members = household.members.map((m, i) => ({
    heading: t("cases:case.member", { n: i + 1 }),
    rows: [
      {
        label: t("rules:field.members.relation"),
        value: m.relation
          ? t(`cases:relation.${m.relation}`)
          : t("rules:value.unknown"),
      },
      {
        label: t("rules:field.members.age"),
        value:
          typeof m.age === "number" ? String(m.age) : t("rules:value.unknown"),
      },
      {
        label: t("rules:field.members.monthlyIncome"),
        value: money(t, m.monthlyIncome),
      },
      {
        label: t("rules:field.members.disability"),
        value: t(`rules:value.disability.${m.disability ?? "unknown"}`),
      },
      { label: t("rules:field.members.canWork"), value: yesNo(t, m.canWork) },
      { label: t("rules:field.members.employed"), value: yesNo(t, m.employed) },
      {
        label: t("rules:field.members.student"),
        value: m.student
          ? t(`rules:value.student.${m.student}`)
          : t("rules:value.unknown"),
      },
    ],
  }));
  const other = [
    {
      label: t("rules:field.supporters.hasCapableSupporter"),
      value: yesNo(t, household.supporters?.hasCapableSupporter),
    },
    {
      label: t("rules:field.assets.financial"),
      value: money(t, household.assets?.financial),
    },
    {
      label: t("rules:field.assets.vehicles"),
      value:
        typeof household.assets?.vehicles === "number"
          ? String(household.assets.vehicles)
          : t("rules:value.unknown"),
    },
    {
      label: t("rules:field.assets.properties"),
      value:
        typeof household.assets?.properties === "number"
          ? String(household.assets.properties)
          : t("rules:value.unknown"),
    },
    {
      label: t("rules:field.annualMedicalOutOfPocket"),
      value: money(t, household.annualMedicalOutOfPocket),
    },
    {
      label: t("rules:field.annualEducationCost"),
      value: money(t, household.annualEducationCost),
    },
    {
      label: t("rules:field.housing.ownsHome"),
      value: yesNo(t, household.housing?.ownsHome),
    },
    {
      label: t("rules:field.housing.perCapitaArea"),
      value:
        typeof household.housing?.perCapitaArea === "number"
          ? t("cases:case.area", { value: household.housing.perCapitaArea })
          : t("rules:value.unknown"),
    },
    {
      label: t("rules:field.emergency.type"),
      value: household.emergency?.type
        ? t(`rules:value.emergency.${household.emergency.type}`)
        : t("rules:value.unknown"),
    },
    {
      label: t("rules:field.emergency.lossAmount"),
      value: money(t, household.emergency?.lossAmount),
    },
    {
      label: t("rules:field.disasterAffected"),
      value: yesNo(t, household.disasterAffected),
    },
  ];
  return { members, other };
}

function actorText(
  t: TFunction,
  actor: string,
  names: Record<string, string>
): string {
  if (actor.startsWith("staff:"))
    return names[actor.slice(6)] ?? t("cases:actor.staff");
  if (actor.startsWith("partner:")) return t("cases:actor.partner");
  if (actor.startsWith("staff-api:")) return t("cases:actor.staffApi");
  if (
    actor === "resident" ||
    actor === "proxy" ||
    actor === "system" ||
    actor === "public"
  )
    return t(`cases:actor.${actor}`);
  return t("cases:actor.system");
}

function timelineText(
  t: TFunction,
  event: CaseForReview["timeline"][number]
): string {
  const d = event.detail;
  const typeName = (value: unknown) =>
    isEvidenceType(value)
      ? t(`case:evidence.${value}.name`)
      : t("case:evidence.other.name");
  switch (event.type) {
    case "status": {
      const to = t(`case:status.${event.toStatus ?? "submitted"}.title`);
      const base = event.fromStatus
        ? t("cases:timeline.status", {
            from: t(`case:status.${event.fromStatus}.title`),
            to,
          })
        : t("cases:timeline.submitted", { to });
      const extra: string[] = [];
      if (Array.isArray(d.missing) && d.missing.length > 0)
        extra.push(
          t("cases:timeline.asked", {
            list: d.missing.map(typeName).join(t("cases:list.separator")),
          })
        );
      if (Array.isArray(d.reasons))
        extra.push(
          d.reasons
            .map((r) => t(`cases:reasons.reject.${String(r)}`))
            .join(t("cases:list.separator"))
        );
      if (typeof d.closed === "string")
        extra.push(t(`cases:reasons.close.${d.closed}`));
      if (typeof d.note === "string")
        extra.push(t("cases:timeline.note", { note: d.note }));
      return [base, ...extra].join(" ");
    }
    case "evidence_received":
      return t("cases:timeline.evidence_received", { name: typeName(d.type) });
    case "evidence_accepted":
      return t("cases:timeline.evidence_accepted", { name: typeName(d.type) });
    case "evidence_rejected":
      return [
        t("cases:timeline.evidence_rejected", {
          name: typeName(d.type),
          reason: t(
            `cases:reasons.document.${
              isDocumentRejectionReason(d.reason) ? d.reason : "other"
            }`
          ),
        }),
        typeof d.note === "string"
          ? t("cases:timeline.note", { note: d.note })
          : "",
      ]
        .filter(Boolean)
        .join(" ");
    case "supervisor_needed":
      return t("cases:timeline.supervisor_needed");
    case "proxy_revoked":
      return t("cases:timeline.proxy_revoked");
    case "objection_received":
      return t("cases:timeline.objection_received");
    case "objection_dismissed":
      return [
        t("cases:timeline.objection_dismissed"),
        typeof d.note === "string"
          ? t("cases:timeline.note", { note: d.note })
          : "",
      ]
        .filter(Boolean)
        .join(" ");
    // Issue 9, a partner's answers (app/models/referral.server.ts).
    case "referral_accepted":
    case "referral_delivered":
    case "referral_declined":
      return [
        t(`cases:timeline.${event.type}`, {
          reason: t(`cases:tasks.declineReasons.${typeof d.reason === "string" ? d.reason : "other"}`),
        }),
        typeof d.note === "string" ? t("cases:timeline.note", { note: d.note }) : "",
      ]
        .filter(Boolean)
        .join(" ");
    // Issue 9 follow-up of a referral (app/models/follow-up.server.ts).
    case "follow_up_asked":
    case "follow_up_reminded":
    case "follow_up_no_answer":
    case "task_opened":
      return t(`cases:timeline.${event.type}`);
    case "follow_up_answered":
      return t(d.helpArrived === false ? "cases:timeline.follow_up_answered_no" : "cases:timeline.follow_up_answered");
    // Issue 9, the assistance plan (app/models/plan.server.ts).
    case "plan_proposed":
      return t("cases:timeline.plan_proposed", { programmes: Number(d.programmes ?? 0), services: Number(d.services ?? 0) });
    case "plan_changed": {
      const what = typeof d.program === "string" ? t(`rules:program.${d.program}.name`) : t(`plan:need.${String(d.need)}.name`);
      const change = d.change === "removed" || d.change === "added" ? d.change : "service";
      return t(`cases:timeline.plan_changed_${change}`, { what });
    }
    case "plan_agreed":
      return t(d.how === "in_person" ? "cases:timeline.plan_agreed_in_person" : "cases:timeline.plan_agreed_phone", { referrals: Number(d.referrals ?? 0) });
    case "referral_sent":
      return t("cases:timeline.referral_sent", { organisation: String(d.organisation ?? ""), service: String(d.service ?? ""), need: t(`plan:need.${String(d.need)}.name`) });
    default:
      return t("cases:timeline.other");
  }
}

function pageData(
  view: CaseForReview,
  t: TFunction,
  lng: Language,
  ctx: StaffContext,
  names: Record<string, string>
) {
  const role = ctx.staff.role;
  const mayAct = can(role, "case.act");
  const status = view.status;
  const proxy = view.proxy;
  const amounts = view.amounts.granted.map((a) => ({
    program: programName(t, a.program),
    amount: amountText(t, {
      value: Number(fenToYuanText(a.fen)),
      period: a.period,
    }),
  }));
  return {
    reference: view.reference,
    status,
    statusTitle: t(`case:status.${status}.title`),
    channel: t(`case:channel.${view.channel}`, { defaultValue: view.channel }),
    language: t(`cases:language.${view.language}`),
    district: view.district
      ? t(`case:district.${view.district}`, { defaultValue: view.district })
      : null,
    submittedAt: dateTime(lng, view.submittedAt),
    applicant: view.applicant,
    proxy: proxy
      ? {
          name: proxy.name,
          phone: proxy.phone,
          relationship: proxy.relationship
            ? t(`cases:relationship.${proxy.relationship}`, {
                defaultValue: proxy.relationship,
              })
            : null,
          consent: proxy.consent
            ? t(`cases:consent.${proxy.consent}`, {
                defaultValue: proxy.consent,
              })
            : t("rules:value.unknown"),
          consentAt: proxy.consentAt ? dateTime(lng, proxy.consentAt) : null,
          revokedAt: proxy.revokedAt ? dateTime(lng, proxy.revokedAt) : null,
        }
      : null,
    household: householdRows(t, view.household),
    rulesVersion: view.assessment.rulesVersion,
    asOf: view.assessment.asOf,
    results: view.assessment.results.map((r) => ({
      program: r.program,
      name: programName(t, r.program),
      appliedFor: view.programs.includes(r.program),
      outcome: r.outcome,
      outcomeText: outcomeLabel(t, r.outcome),
      amount: r.amount ? amountText(t, r.amount) : null,
      reasons: r.reasons.map((reason) => ({
        passed: reason.passed,
        text: explainReason(t, reason),
      })),
      changes: r.changes.map((change) => explainChange(t, change)),
    })),
    evidence: view.evidence.map((e, i) => ({
      id: e.id,
      n: i + 1,
      type: e.type,
      typeName: t(`case:evidence.${e.type}.name`),
      status: e.status,
      statusText: t(`case:evidenceStatus.${e.status}`, {
        defaultValue: e.status,
      }),
      format: e.format.toUpperCase(),
      size: sizeText(t, e.size),
      rejectReason: e.rejectReason,
      receivedAt: dateTime(lng, e.createdAt),
      href: `/staff/cases/${view.reference}/evidence/${e.id}`,
    })),
    timeline: view.timeline.map((e) => ({
      at: dateTime(lng, e.at),
      who: actorText(t, e.actor, names),
      text: timelineText(t, e),
    })),
    decision: view.decision
      ? {
          outcome: view.decision.outcome,
          decidedAt: view.decidedAt ? dateTime(lng, view.decidedAt) : null,
          reasons: (view.decision.reasons ?? []).map((r) =>
            t(`cases:reasons.reject.${r}`)
          ),
        }
      : null,
    amounts,
    withoutAmount: view.amounts.withoutAmount.map((p) => programName(t, p)),
    largeAmount: view.largeAmount.length > 0,
    mayApproveLarge: can(role, "case.approve_large"),
    actions: {
      act: mayAct,
      screening: mayAct && canTransition(status, "screening"),
      manualReview: mayAct && canTransition(status, "manual_review"),
      requestInformation: mayAct && canTransition(status, "needs_information"),
      reviewEvidence: mayAct && UNDECIDED_STATUSES.includes(status),
      approve:
        mayAct &&
        (status === "screening" || status === "manual_review") &&
        view.amounts.granted.length > 0,
      reject: mayAct && canTransition(status, "rejected"),
      close: mayAct && UNDECIDED_STATUSES.includes(status),
    },
  };
}

/** Issue 9: the plan's state for the link to it, or null when the case may not have one yet. */
async function planLinkState(applicationId: string, status: string) {
  const state = await planStatusOf(db, applicationId);
  return state === "none" && !planAllowed(status) ? null : state;
}

async function load(request: Request, reference: string) {
  const view = await getCaseForReview(db, reference);
  if (!view) throw new Response(null, { status: 404 });
  return view;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "case.view");
  const { lng, t } = await translatorFor(request, [
    "cases",
    "case",
    "rules",
    "staff",
    "common",
  ]);
  const view = await load(request, params.reference ?? "");
  const { actor, actorName } = staffActor(ctx);
  await auditCaseView(db, {
    actor,
    actorName,
    action: "view_case",
    reference: view.reference,
    detail: { status: view.status },
  });
  const names = await staffNames(
    db,
    view.timeline.map((e) => e.actor)
  );
  const done = new URL(request.url).searchParams.get("done");
  const title = t("cases:case.title", { reference: view.reference });
  return json(
    {
      ...pageData(view, t, lng, ctx, names),
      tasks: await caseTaskRows(db, view.id, lng),
      followUps: await staffFollowUps(db, view.id, lng), // issue 9: the resident's verdict (comment: staff only)
      mayPlan: can(ctx.staff.role, "plan.work"),
      plan: planCaseLinkText(t, can(ctx.staff.role, "plan.work") ? await planLinkState(view.id, view.status) : null),
      done: (DONE_NOTICES as readonly string[]).includes(done ?? "")
        ? (done as Done)
        : null,
      pageTitle: `${
        hasFormErrors(context) ? t("common:errorPrefix") : ""
      }${title} – ${t("staff:layout.console")}`,
    },
    { headers: NO_STORE }
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.pageTitle ?? "" },
];

export interface CaseActionData {
  intent: string;
  errors: FieldErrors;
  /** a problem that is not one field's (a stale page, a supervisor needed) */
  message?: string;
}

function noteOf(
  form: FormData,
  id: string,
  errors: FieldErrors,
  t: TFunction
): string | null {
  const raw = form.get("note");
  const note = typeof raw === "string" ? raw.trim() : "";
  if (Array.from(note).length > NOTE_MAX)
    errors[id] = t("cases:errors.noteTooLong", { max: NOTE_MAX });
  return note === "" ? null : note;
}

function refusal(
  t: TFunction,
  result: ReviewError,
  intent: string,
  context: unknown
): Response {
  markFormErrors(context as never);
  if (result.error === "notFound" || result.error === "evidenceNotFound") {
    return json<CaseActionData>(
      { intent, errors: {}, message: t("cases:errors.notFound") },
      { status: 404, headers: NO_STORE }
    );
  }
  if (result.error === "needsSupervisor") {
    const message = t("cases:errors.needsSupervisor");
    return json<CaseActionData>(
      { intent, errors: {}, message },
      { status: 403, headers: NO_STORE }
    );
  }
  if (result.error === "noAmount")
    return json<CaseActionData>(
      { intent, errors: {}, message: t("cases:errors.noAmount") },
      { status: 400, headers: NO_STORE }
    );
  return json<CaseActionData>(
    {
      intent,
      errors: {},
      message: t("cases:errors.invalidTransition", {
        status: t(`case:status.${result.from}.title`),
      }),
    },
    { status: 400, headers: NO_STORE }
  );
}

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("staff.cases.item", guardedAction)(args);
}

async function guardedAction({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form, "case.act");
  const { t } = await translatorFor(request, [
    "cases",
    "case",
    "staff",
    "common",
  ]);
  const view = await load(request, params.reference ?? "");
  const reference = view.reference;
  const { actor, actorName } = staffActor(ctx);
  const who = { staffId: ctx.staff.id, actor, actorName };
  const intent = String(form.get("intent") ?? "");
  const errors: FieldErrors = {};
  const invalid = () => {
    markFormErrors(context);
    return json<CaseActionData>(
      { intent, errors },
      { status: 400, headers: NO_STORE }
    );
  };
  const back = (done: Done) =>
    redirect(`/staff/cases/${reference}?done=${done}`, {
      status: 303,
      headers: NO_STORE,
    });

  switch (intent) {
    case "screening":
    case "manual_review": {
      const result = await moveCase(db, { reference, to: intent, who });
      return result.ok ? back(intent) : refusal(t, result, intent, context);
    }
    case "request_information": {
      const picked = pickReasons(EVIDENCE_TYPES, form.getAll("types"));
      const note = noteOf(form, "request-note", errors, t);
      if (picked.unknown) errors.types = t("cases:errors.typesInvalid");
      else if (picked.reasons.length === 0 && !note)
        errors.types = t("cases:errors.typesRequired");
      if (Object.keys(errors).length > 0) return invalid();
      const result = await requestInformation(db, {
        reference,
        types: picked.reasons,
        note,
        who,
      });
      return result.ok
        ? back("request_information")
        : refusal(t, result, intent, context);
    }
    case "accept_evidence":
    case "reject_evidence": {
      const evidenceId = String(form.get("evidenceId") ?? "");
      const accept = intent === "accept_evidence";
      const reason = form.get("reason");
      const note = noteOf(form, `note-${evidenceId}`, errors, t);
      if (!accept && !isDocumentRejectionReason(reason))
        errors[`reason-${evidenceId}`] = t(
          "cases:errors.documentReasonRequired"
        );
      if (Object.keys(errors).length > 0) return invalid();
      const result = await reviewEvidence(db, {
        reference,
        evidenceId,
        accept,
        reason: accept ? null : (reason as never),
        note: accept ? null : note,
        who,
      });
      return result.ok ? back(intent) : refusal(t, result, intent, context);
    }
    case "approve": {
      const result = await approveCase(db, {
        reference,
        who,
        mayApproveLarge: can(ctx.staff.role, "case.approve_large"),
      });
      return result.ok ? back("approve") : refusal(t, result, intent, context);
    }
    case "reject": {
      const picked = pickReasons(
        CASE_REJECTION_REASONS,
        form.getAll("reasons")
      );
      const note = noteOf(form, "reject-note", errors, t);
      if (picked.unknown || picked.reasons.length === 0)
        errors.reasons = t("cases:errors.reasonsRequired");
      if (picked.reasons.includes("other") && !note)
        errors["reject-note"] = t("cases:errors.otherNeedsNote");
      if (Object.keys(errors).length > 0) return invalid();
      const result = await rejectCase(db, {
        reference,
        reasons: picked.reasons,
        note,
        who,
      });
      return result.ok ? back("reject") : refusal(t, result, intent, context);
    }
    case "close": {
      const reason = form.get("closeReason");
      const note = noteOf(form, "close-note", errors, t);
      if (!isCloseReason(reason))
        errors.closeReason = t("cases:errors.closeReasonRequired");
      if (Object.keys(errors).length > 0) return invalid();
      const result = await closeCase(db, {
        reference,
        reason: reason as never,
        note,
        who,
      });
      return result.ok ? back("close") : refusal(t, result, intent, context);
    }
    default:
      markFormErrors(context);
      return json<CaseActionData>(
        { intent, errors: {}, message: t("cases:errors.unknownAction") },
        { status: 400, headers: NO_STORE }
      );
  }
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

function Row({
  label,
  children,
}: {
  label: string;
  children: React.ReactNode;
}) {
  return (
    <div className="summary-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function NoteField({
  id,
  label,
  error,
}: {
  id: string;
  label: string;
  error?: string;
}) {
  const { t } = useTranslation("cases");
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={id}>{label}</label>
      <p id={`${id}-hint`} className="hint">
        {t("actions.noteHint", { max: NOTE_MAX })}
      </p>
      {error ? (
        <p id={`${id}-error`} className="error-message">
          <span className="visually-hidden">{t("common:errorPrefix")}</span>
          {error}
        </p>
      ) : null}
      <textarea
        id={id}
        name="note"
        rows={2}
        maxLength={NOTE_MAX}
        aria-invalid={error ? true : undefined}
        aria-describedby={[`${id}-hint`, error ? `${id}-error` : null]
          .filter(Boolean)
          .join(" ")}
      />
    </div>
  );
}

function CheckGroup({
  name,
  legend,
  options,
  error,
}: {
  name: string;
  legend: string;
  options: Array<{ value: string; label: string }>;
  error?: string;
}) {
  return (
    <div className={error ? "field has-error" : "field"}>
      <fieldset aria-describedby={error ? `${name}-error` : undefined}>
        <legend>{legend}</legend>
        {error ? (
          <p id={`${name}-error`} className="error-message">
            {error}
          </p>
        ) : null}
        <div className="choices">
          {options.map((o, i) => {
            const id = i === 0 ? name : `${name}-${i}`;
            return (
              <div className="choice checkbox" key={o.value}>
                <input type="checkbox" id={id} name={name} value={o.value} />
                <label htmlFor={id}>{o.label}</label>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

function EvidenceItem({
  file,
  canReview,
  errors,
}: {
  file: PageData["evidence"][number];
  canReview: boolean;
  errors: FieldErrors;
}) {
  const { t } = useTranslation(["cases", "case"]);
  const reasonId = `reason-${file.id}`;
  const reasonError = errors[reasonId];
  return (
    <li className="case-evidence-item">
      <p>
        <a href={file.href} className="case-link" download>
          {t("case.fileLink", { name: file.typeName, n: file.n })}
        </a>
      </p>
      <p>
        <span className={`tag evidence-${file.status}`}>{file.statusText}</span>{" "}
        {t("case.fileFacts", {
          format: file.format,
          size: file.size,
          date: file.receivedAt,
        })}
      </p>
      {file.rejectReason ? (
        <p className="hint">
          {t("case.fileRejectReason", { reason: file.rejectReason })}
        </p>
      ) : null}
      {canReview ? (
        <div className="case-evidence-actions">
          {file.status !== "accepted" ? (
            <form method="post">
              <CsrfInput />
              <RepeatGuard />
              <input type="hidden" name="intent" value="accept_evidence" />
              <input type="hidden" name="evidenceId" value={file.id} />
              <button type="submit" className="button secondary">
                {t("actions.acceptDocument", {
                  name: file.typeName,
                  n: file.n,
                })}
              </button>
            </form>
          ) : null}
          {file.status !== "rejected" ? (
            <form
              method="post"
              className="case-reject-document"
              aria-label={t("actions.rejectDocumentOpen", {
                name: file.typeName,
                n: file.n,
              })}
            >
              <CsrfInput />
              <RepeatGuard />
              <input type="hidden" name="intent" value="reject_evidence" />
              <input type="hidden" name="evidenceId" value={file.id} />
              <div className={reasonError ? "field has-error" : "field"}>
                <label htmlFor={reasonId}>
                  {t("actions.documentReason", {
                    name: file.typeName,
                    n: file.n,
                  })}
                </label>
                {reasonError ? (
                  <p id={`${reasonId}-error`} className="error-message">
                    {reasonError}
                  </p>
                ) : null}
                <select
                  id={reasonId}
                  name="reason"
                  defaultValue=""
                  aria-invalid={reasonError ? true : undefined}
                  aria-describedby={
                    reasonError ? `${reasonId}-error` : undefined
                  }
                >
                  <option value="">{t("actions.choose")}</option>
                  {DOCUMENT_REJECTION_REASONS.map((r) => (
                    <option key={r} value={r}>
                      {t(`reasons.document.${r}`)}
                    </option>
                  ))}
                </select>
              </div>
              <NoteField
                id={`note-${file.id}`}
                label={t("actions.noteForResident")}
                error={errors[`note-${file.id}`]}
              />
              <button type="submit" className="button warning">
                {t("actions.rejectDocument")}
              </button>
            </form>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

export default function CasePage() {
  const { t } = useTranslation(["cases", "case", "rules"]);
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as CaseActionData | undefined;
  const errors: FieldErrors = answer?.errors ?? {};
  const a = data.actions;
  return (
    <>
      <p>
        <a href="/staff/cases" className="back-link">
          {t("case.back")}
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
          <p>{t(`done.${data.done}`)}</p>
        </div>
      ) : null}
      <h1>{t("case.title", { reference: data.reference })}</h1>
      <p className="case-status">
        {t("case.statusNow")} <strong>{data.statusTitle}</strong>
      </p>

      <section aria-labelledby="applicant-heading">
        <h2 id="applicant-heading">{t("case.applicantHeading")}</h2>
        <dl className="summary-list">
          <Row label={t("case.name")}>{data.applicant.name}</Row>
          <Row label={t("case.idNumber")}>{data.applicant.idNumber}</Row>
          <Row label={t("case.phone")}>{data.applicant.phone}</Row>
          <Row label={t("case.language")}>{data.language}</Row>
          <Row label={t("case.channel")}>{data.channel}</Row>
          <Row label={t("case.submitted")}>{data.submittedAt}</Row>
          {data.district ? (
            <Row label={t("case.district")}>{data.district}</Row>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="proxy-heading">
        <h2 id="proxy-heading">{t("case.proxyHeading")}</h2>
        {data.proxy ? (
          <dl className="summary-list">
            <Row label={t("case.name")}>
              {data.proxy.name ?? t("rules:value.unknown")}
            </Row>
            <Row label={t("case.phone")}>
              {data.proxy.phone ?? t("rules:value.unknown")}
            </Row>
            <Row label={t("case.relationship")}>
              {data.proxy.relationship ?? t("rules:value.unknown")}
            </Row>
            <Row label={t("case.consent")}>
              {data.proxy.consent}
              {data.proxy.consentAt ? ` (${data.proxy.consentAt})` : ""}
            </Row>
            {data.proxy.revokedAt ? (
              <Row label={t("case.revoked")}>{data.proxy.revokedAt}</Row>
            ) : null}
          </dl>
        ) : (
          <p>{t("case.noProxy")}</p>
        )}
      </section>

      <section aria-labelledby="household-heading">
        <h2 id="household-heading">{t("case.householdHeading")}</h2>
        {data.household.members.map((member) => (
          <div key={member.heading}>
            <h3>{member.heading}</h3>
            <dl className="summary-list">
              {member.rows.map((row) => (
                <Row key={row.label} label={row.label}>
                  {row.value}
                </Row>
              ))}
            </dl>
          </div>
        ))}
        <h3>{t("case.householdOther")}</h3>
        <dl className="summary-list">
          {data.household.other.map((row) => (
            <Row key={row.label} label={row.label}>
              {row.value}
            </Row>
          ))}
        </dl>
      </section>

      <section aria-labelledby="results-heading">
        <h2 id="results-heading">{t("case.resultsHeading")}</h2>
        <p className="hint">
          {t("case.rulesVersion", {
            version: data.rulesVersion,
            date: data.asOf,
          })}
        </p>
        {data.results.map((r) => (
          <div className="result" key={r.program}>
            <h3>
              {r.name}{" "}
              <span className={`tag ${r.outcome}`}>{r.outcomeText}</span>
            </h3>
            <p>
              {r.appliedFor ? t("case.appliedFor") : t("case.notAppliedFor")}
            </p>
            {r.amount ? (
              <p>{t("case.ruleAmount", { amount: r.amount })}</p>
            ) : null}
            <details>
              <summary>{t("case.why", { name: r.name })}</summary>
              <ul>
                {r.reasons.map((reason, i) => (
                  <li key={i}>
                    {reason.passed ? t("case.ruleMet") : t("case.ruleNotMet")}{" "}
                    {reason.text}
                  </li>
                ))}
              </ul>
              {r.changes.length > 0 ? (
                <>
                  <p>{t("case.whatWouldChange")}</p>
                  <ul>
                    {r.changes.map((c, i) => (
                      <li key={i}>{c}</li>
                    ))}
                  </ul>
                </>
              ) : null}
            </details>
          </div>
        ))}
      </section>

      <section aria-labelledby="evidence-heading">
        <h2 id="evidence-heading">{t("case.evidenceHeading")}</h2>
        {data.evidence.length === 0 ? (
          <p>{t("case.noEvidence")}</p>
        ) : (
          <ul className="case-evidence">
            {data.evidence.map((file) => (
              <EvidenceItem
                key={file.id}
                file={file}
                canReview={a.reviewEvidence}
                errors={errors}
              />
            ))}
          </ul>
        )}
      </section>

      {data.decision ? (
        <section aria-labelledby="decision-heading">
          <h2 id="decision-heading">{t("case.decisionHeading")}</h2>
          <p>
            {t(`case.decision.${data.decision.outcome}`, {
              date: data.decision.decidedAt ?? "",
            })}
          </p>
          {data.decision.reasons.length > 0 ? (
            <ul>
              {data.decision.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          ) : null}
          <p>
            <a
              href={`/staff/cases/${data.reference}/letter`}
              className="case-link"
            >
              {t("case.letterLink")}
            </a>
          </p>
        </section>
      ) : null}

      {a.act ? (
        <section aria-labelledby="actions-heading" className="case-actions">
          <h2 id="actions-heading">{t("actions.heading")}</h2>
          {!Object.entries(a).some(
            ([key, allowed]) =>
              key !== "act" && key !== "reviewEvidence" && allowed
          ) ? (
            <p>{t("actions.none")}</p>
          ) : null}
          {a.screening ? (
            <form method="post">
              <CsrfInput />
              <RepeatGuard />
              <input type="hidden" name="intent" value="screening" />
              <p>{t("actions.screeningHint")}</p>
              <button type="submit" className="button">
                {t("actions.screening")}
              </button>
            </form>
          ) : null}
          {a.manualReview ? (
            <form method="post">
              <CsrfInput />
              <RepeatGuard />
              <input type="hidden" name="intent" value="manual_review" />
              <p>{t("actions.manualReviewHint")}</p>
              <button type="submit" className="button secondary">
                {t("actions.manualReview")}
              </button>
            </form>
          ) : null}
          {a.approve ? (
            <form method="post" aria-labelledby="approve-heading">
              <CsrfInput />
              <RepeatGuard />
              <input type="hidden" name="intent" value="approve" />
              <h3 id="approve-heading">{t("actions.approveHeading")}</h3>
              <p>{t("actions.approveHint")}</p>
              <ul>
                {data.amounts.map((x) => (
                  <li key={x.program}>
                    {t("actions.amountLine", {
                      program: x.program,
                      amount: x.amount,
                    })}
                  </li>
                ))}
              </ul>
              {data.withoutAmount.length > 0 ? (
                <p className="hint">
                  {t("actions.withoutAmount", {
                    list: data.withoutAmount.join(t("list.separator")),
                  })}
                </p>
              ) : null}
              {data.largeAmount ? (
                <p className="notice">
                  {data.mayApproveLarge
                    ? t("actions.largeSupervisor")
                    : t("actions.largeCaseworker")}
                </p>
              ) : null}
              <button type="submit" className="button">
                {t("actions.approve")}
              </button>
            </form>
          ) : null}
          {a.requestInformation ? (
            <form method="post" aria-labelledby="request-heading">
              <CsrfInput />
              <RepeatGuard />
              <input type="hidden" name="intent" value="request_information" />
              <h3 id="request-heading">{t("actions.requestHeading")}</h3>
              <p>{t("actions.requestHint")}</p>
              <CheckGroup
                name="types"
                legend={t("actions.requestTypes")}
                error={errors.types}
                options={EVIDENCE_TYPES.map((type) => ({
                  value: type,
                  label: t(`case:evidence.${type}.name`),
                }))}
              />
              <NoteField
                id="request-note"
                label={t("actions.noteForResident")}
                error={errors["request-note"]}
              />
              <button type="submit" className="button secondary">
                {t("actions.request")}
              </button>
            </form>
          ) : null}
          {a.reject ? (
            <form method="post" aria-labelledby="reject-heading">
              <CsrfInput />
              <RepeatGuard />
              <input type="hidden" name="intent" value="reject" />
              <h3 id="reject-heading">{t("actions.rejectHeading")}</h3>
              <p>{t("actions.rejectHint")}</p>
              <CheckGroup
                name="reasons"
                legend={t("actions.rejectReasons")}
                error={errors.reasons}
                options={CASE_REJECTION_REASONS.map((r) => ({
                  value: r,
                  label: t(`reasons.reject.${r}`),
                }))}
              />
              <NoteField
                id="reject-note"
                label={t("actions.noteForLetter")}
                error={errors["reject-note"]}
              />
              <button type="submit" className="button warning">
                {t("actions.reject")}
              </button>
            </form>
          ) : null}
          {a.close ? (
            <form method="post" aria-labelledby="close-heading">
              <CsrfInput />
              <RepeatGuard />
              <input type="hidden" name="intent" value="close" />
              <h3 id="close-heading">{t("actions.closeHeading")}</h3>
              <div className={errors.closeReason ? "field has-error" : "field"}>
                <fieldset
                  aria-describedby={
                    errors.closeReason ? "closeReason-error" : undefined
                  }
                >
                  <legend>{t("actions.closeReason")}</legend>
                  {errors.closeReason ? (
                    <p id="closeReason-error" className="error-message">
                      {errors.closeReason}
                    </p>
                  ) : null}
                  <div className="choices">
                    {CLOSE_REASONS.map((r, i) => (
                      <div className="choice" key={r}>
                        <input
                          type="radio"
                          id={i === 0 ? "closeReason" : `closeReason-${i}`}
                          name="closeReason"
                          value={r}
                        />
                        <label
                          htmlFor={i === 0 ? "closeReason" : `closeReason-${i}`}
                        >
                          {t(`reasons.close.${r}`)}
                        </label>
                      </div>
                    ))}
                  </div>
                </fieldset>
              </div>
              <NoteField
                id="close-note"
                label={t("actions.noteInternal")}
                error={errors["close-note"]}
              />
              <button type="submit" className="button warning">
                {t("actions.close")}
              </button>
            </form>
          ) : null}
        </section>
      ) : null}

      <PlanCaseLink reference={data.reference} plan={data.plan} />
      <CaseTasks reference={data.reference} tasks={data.tasks} mayAct={data.mayPlan} />
      <FollowUpAnswers followUps={data.followUps} />

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t("case.timelineHeading")}</h2>
        <ol className="case-timeline">
          {data.timeline.map((e, i) => (
            <li key={i}>
              <span className="hint">
                {t("case.timelineWhen", { at: e.at, who: e.who })}
              </span>{" "}
              {e.text}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
