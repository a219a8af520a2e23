// /staff/cases/:reference/plan (plan.work): the case's assistance plan. With
// no plan yet, a button suggests one (programmes from the rules and the
// approval, a service per need with an organisation that has room). A draft
// plan lists each item with why it is there; the caseworker takes items off,
// adds a programme or a service (need, organisation, note), changes an item's
// organisation, then agrees the plan with the resident (by phone or in
// person, confirmed): referrals are sent and the resident gets a text.
// Each view is audited ("view_plan"); each action is audited by the model.
// 400 with a message for a bad form or a step the plan no longer allows.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems, type FieldErrors } from "~/components/form/error-summary";
import { RadioGroup } from "~/components/form/radio-group";
import { RepeatGuard } from "~/components/form/repeat-guard";
import { SelectField } from "~/components/plan/select-field";
import { CsrfInput } from "~/components/staff/csrf-input";
import { isCaseStatus } from "~/domain/case";
import { PROGRAM_CODES, type ProgramCode } from "~/domain/eligibility";
import { AGREED_HOW, canTake, explainPlanReason, freeRoom, isNeedCode, NEED_CODES, needName, NOTE_MAX_PLAN, planAmountText, programTitle, type AgreedHow, type NeedCode, type ServiceOption } from "~/domain/plan";
import { staffDateTime } from "~/domain/staff/format";
import { auditCaseView } from "~/models/case-review.server";
import { serviceOptions } from "~/models/organisation.server";
import { addPlanItem, agreePlan, choosePlanService, getPlanCase, proposePlan, removePlanItem, type PlanError } from "~/models/plan.server";
import { db } from "~/services/db.server";
import { readForm } from "~/services/form-body.server";
import { translatorFor } from "~/services/i18n.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { requireStaff, requireStaffAction, staffActor } from "~/services/staff-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "staff", "plan", "rules", "case"] };

const NO_STORE = { "Cache-Control": "private, no-store" };
const DONE = ["proposed", "removed", "added", "service", "agreed"] as const;
type Done = (typeof DONE)[number];

function districtName(t: TFunction, code: string): string {
  return t(`case:district.${code}`, { defaultValue: code });
}

function optionLabel(t: TFunction, o: ServiceOption): string {
  return t("plan:page.serviceOption", { organisation: o.organisationName, district: districtName(t, o.district), service: o.name, room: freeRoom(o) });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "plan.work");
  const { lng, t } = await translatorFor(request, ["plan", "rules", "case", "staff", "common"]);
  const found = await getPlanCase(db, params.reference ?? "");
  if (!found) throw new Response(null, { status: 404 });
  await auditCaseView(db, { ...staffActor(ctx), action: "view_plan", reference: found.reference, detail: { plan: found.plan?.status ?? "none" } });
  const options = found.plan?.status === "draft" ? await serviceOptions(db) : [];
  const choicesFor = (need: NeedCode) =>
    options
      .filter((o) => canTake(o, need))
      .sort((a, b) => Number(b.district === found.district) - Number(a.district === found.district) || freeRoom(b) - freeRoom(a))
      .map((o) => ({ value: o.id, label: optionLabel(t, o) }));
  const plan = found.plan;
  const items = (plan?.items ?? []).map((item) => {
    const name = item.kind === "programme" ? programTitle(t, item.program ?? "") : needName(t, item.need ?? "");
    return {
      id: item.id,
      kind: item.kind,
      name,
      amount: item.kind === "programme" ? planAmountText(t, item.amountFen, item.amountPeriod) : null,
      organisation: item.service
        ? t("plan:page.organisationLine", { organisation: item.service.organisationName, district: districtName(t, item.service.district), service: item.service.name })
        : null,
      reason: explainPlanReason(t, item.reasonCode, item.reasonValues),
      note: item.note,
      added: item.origin === "added",
      removed: item.removedAt ? staffDateTime(lng, item.removedAt) : null,
      referral: item.referral ? t(`plan:page.referralStatus.${item.referral.status}`, { defaultValue: item.referral.status }) : null,
      serviceChoices: item.kind === "service" && item.need ? choicesFor(item.need) : [],
      serviceId: item.serviceId,
    };
  });
  const onPlan = new Set((plan?.items ?? []).filter((i) => i.kind === "programme" && !i.removedAt).map((i) => i.program));
  const done = new URL(request.url).searchParams.get("done");
  return json(
    {
      reference: found.reference,
      statusTitle: t(`case:status.${found.status}.title`),
      planAllowed: found.planAllowed,
      plan: plan ? { status: plan.status, agreedAt: plan.agreedAt ? staffDateTime(lng, plan.agreedAt) : null } : null,
      items: items.filter((i) => !i.removed),
      removed: items.filter((i) => i.removed),
      programmeChoices: PROGRAM_CODES.filter((p) => !onPlan.has(p)).map((p) => ({ value: p, label: programTitle(t, p) })),
      needChoices: NEED_CODES.map((n) => ({ value: n, label: needName(t, n) })),
      allServiceChoices: options
        .filter((o) => NEED_CODES.some((n) => canTake(o, n)))
        .map((o) => ({ value: o.id, label: `${optionLabel(t, o)} (${o.needs.map((n) => needName(t, n)).join(t("plan:page.listSeparator"))})` })),
      done: (DONE as readonly string[]).includes(done ?? "") ? (done as Done) : null,
      pageTitle: pageTitle(t, t("plan:page.title", { reference: found.reference }), hasFormErrors(context)),
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

export interface PlanActionData {
  intent: string;
  errors: FieldErrors;
  message?: string;
  values?: Record<string, string>;
}

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("staff.cases.plan", guardedAction)(args);
}

function refusal(t: TFunction, result: PlanError, intent: string, context: unknown): Response {
  markFormErrors(context as never);
  if (result.error === "notFound") return json<PlanActionData>({ intent, errors: {}, message: t("plan:errors.notFound") }, { status: 404, headers: NO_STORE });
  const message =
    result.error === "wrongStatus"
      ? t("plan:errors.wrongStatus", { status: isCaseStatus(result.status) ? t(`case:status.${result.status}.title`) : result.status })
      : result.error === "itemNotFound"
        ? t("plan:errors.notFound")
        : t(`plan:errors.${result.error}`);
  return json<PlanActionData>({ intent, errors: {}, message }, { status: 400, headers: NO_STORE });
}

function noteOf(form: FormData): string | null {
  const raw = form.get("note");
  const note = typeof raw === "string" ? raw.trim() : "";
  return note === "" ? null : note;
}

async function guardedAction({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form, "plan.work");
  const { t } = await translatorFor(request, ["plan", "case", "common"]);
  const found = await getPlanCase(db, params.reference ?? "");
  if (!found) throw new Response(null, { status: 404 });
  const reference = found.reference;
  const { actor, actorName } = staffActor(ctx);
  const who = { staffId: ctx.staff.id, actor, actorName };
  const intent = String(form.get("intent") ?? "");
  const errors: FieldErrors = {};
  const invalid = (values?: Record<string, string>) => {
    markFormErrors(context);
    return json<PlanActionData>({ intent, errors, values }, { status: 400, headers: NO_STORE });
  };
  const back = (done: Done) => redirect(`/staff/cases/${reference}/plan?done=${done}`, { status: 303, headers: NO_STORE });
  const str = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };

  switch (intent) {
    case "propose": {
      const result = await proposePlan(db, { reference, who });
      return result.ok ? back("proposed") : refusal(t, result, intent, context);
    }
    case "remove": {
      const result = await removePlanItem(db, { reference, itemId: str("itemId"), who });
      return result.ok ? back("removed") : refusal(t, result, intent, context);
    }
    case "service": {
      const itemId = str("itemId");
      const serviceId = str("serviceId");
      if (serviceId === "") {
        errors[`service-${itemId}`] = t("plan:errors.serviceRequired");
        return invalid();
      }
      const result = await choosePlanService(db, { reference, itemId, serviceId, who });
      if (!result.ok && result.error === "serviceUnavailable") {
        errors[`service-${itemId}`] = t("plan:errors.serviceUnavailable");
        return invalid();
      }
      return result.ok ? back("service") : refusal(t, result, intent, context);
    }
    case "add_programme": {
      const program = str("program");
      const note = noteOf(form);
      if (!(PROGRAM_CODES as readonly string[]).includes(program)) errors["add-program"] = t("plan:errors.addProgramme");
      if (note && Array.from(note).length > NOTE_MAX_PLAN) errors["add-programme-note"] = t("plan:errors.noteTooLong", { max: NOTE_MAX_PLAN });
      if (Object.keys(errors).length > 0) return invalid({ program, note: note ?? "" });
      const result = await addPlanItem(db, { reference, item: { kind: "programme", program: program as ProgramCode, note }, who });
      if (!result.ok && result.error === "duplicate") {
        errors["add-program"] = t("plan:errors.duplicate");
        return invalid({ program, note: note ?? "" });
      }
      return result.ok ? back("added") : refusal(t, result, intent, context);
    }
    case "add_service": {
      const need = str("need");
      const serviceId = str("serviceId");
      const note = noteOf(form);
      if (!isNeedCode(need)) errors["add-need"] = t("plan:errors.addNeed");
      if (note && Array.from(note).length > NOTE_MAX_PLAN) errors["add-service-note"] = t("plan:errors.noteTooLong", { max: NOTE_MAX_PLAN });
      const values = { need, serviceId, note: note ?? "" };
      if (Object.keys(errors).length > 0) return invalid(values);
      const result = await addPlanItem(db, { reference, item: { kind: "service", need: need as NeedCode, serviceId: serviceId === "" ? null : serviceId, note }, who });
      if (!result.ok && result.error === "serviceUnavailable") {
        errors["add-service"] = t("plan:errors.serviceUnavailable");
        return invalid(values);
      }
      return result.ok ? back("added") : refusal(t, result, intent, context);
    }
    case "agree": {
      const how = str("how");
      if (!(AGREED_HOW as readonly string[]).includes(how)) errors.how = t("plan:errors.how");
      if (str("confirm") !== "yes") errors.confirm = t("plan:errors.confirm");
      if (Object.keys(errors).length > 0) return invalid({ how });
      const result = await agreePlan(db, { reference, how: how as AgreedHow, who });
      return result.ok ? back("agreed") : refusal(t, result, intent, context);
    }
    default:
      markFormErrors(context);
      return json<PlanActionData>({ intent, errors: {}, message: t("plan:errors.unknownAction") }, { status: 400, headers: NO_STORE });
  }
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;
type Item = PageData["items"][number];

function NoteField({ id, error, defaultValue }: { id: string; error?: string; defaultValue?: string }) {
  const { t } = useTranslation("plan");
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={id}>{t("page.addNote")}</label>
      <p id={`${id}-hint`} className="hint">
        {t("page.addNoteHint", { max: NOTE_MAX_PLAN })}
      </p>
      {error ? (
        <p id={`${id}-error`} className="error-message">
          <span className="visually-hidden">{t("common:errorPrefix")}</span>
          {error}
        </p>
      ) : null}
      <textarea id={id} name="note" rows={2} maxLength={NOTE_MAX_PLAN} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
    </div>
  );
}

function PlanItemCard({ item, draft, errors }: { item: Item; draft: boolean; errors: FieldErrors }) {
  const { t } = useTranslation("plan");
  const selectId = `service-${item.id}`;
  return (
    <li className="plan-item">
      <h3>
        <span className="plan-kind">{item.kind === "programme" ? t("page.programme") : t("page.service")}:</span> {item.name}
      </h3>
      <dl className="summary-list">
        {item.amount ? (
          <div className="summary-row">
            <dt>{t("page.amount")}</dt>
            <dd>{item.amount}</dd>
          </div>
        ) : null}
        {item.kind === "service" ? (
          <div className="summary-row">
            <dt>{t("page.organisation")}</dt>
            <dd>{item.organisation ?? t("page.noService")}</dd>
          </div>
        ) : null}
        <div className="summary-row">
          <dt>{t("page.why")}</dt>
          <dd>
            {item.reason}
            {item.note ? <span className="plan-note"> {t("page.note", { note: item.note })}</span> : null}
          </dd>
        </div>
      </dl>
      {item.referral ? <p>{t("page.referral", { status: item.referral })}</p> : !draft && item.kind === "service" ? <p>{t("page.notReferred")}</p> : null}
      {draft ? (
        <div className="plan-item-actions">
          {item.kind === "service" ? (
            item.serviceChoices.length > 0 ? (
              <form method="post">
                <CsrfInput />
                <RepeatGuard />
                <input type="hidden" name="intent" value="service" />
                <input type="hidden" name="itemId" value={item.id} />
                <SelectField
                  id={selectId}
                  name="serviceId"
                  label={t("page.chooseService", { name: item.name })}
                  placeholder={t("page.chooseServiceNone")}
                  options={item.serviceChoices}
                  defaultValue={item.serviceId ?? ""}
                  error={errors[selectId]}
                />
                <button type="submit" className="button secondary">
                  {t("page.chooseServiceButton")}
                </button>
              </form>
            ) : (
              <p className="hint">{t("page.noServiceOptions")}</p>
            )
          ) : null}
          <form method="post">
            <CsrfInput />
            <RepeatGuard />
            <input type="hidden" name="intent" value="remove" />
            <input type="hidden" name="itemId" value={item.id} />
            <button type="submit" className="button warning" aria-label={t("page.removeLabel", { name: item.name })}>
              {t("page.remove")}
            </button>
          </form>
        </div>
      ) : null}
    </li>
  );
}

export default function PlanPage() {
  const { t } = useTranslation("plan");
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as PlanActionData | undefined;
  const errors: FieldErrors = answer?.errors ?? {};
  const values = answer?.values ?? {};
  const draft = data.plan?.status === "draft";
  return (
    <>
      <p>
        <a href={`/staff/cases/${data.reference}`} className="back-link">
          {t("page.back", { reference: data.reference })}
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
          <p>{t(`page.done.${data.done}`)}</p>
        </div>
      ) : null}
      <h1>{t("page.title", { reference: data.reference })}</h1>
      <p>{t("page.intro")}</p>

      {!data.plan ? (
        data.planAllowed ? (
          <section aria-labelledby="propose-heading">
            <h2 id="propose-heading">{t("page.noPlanYet")}</h2>
            <form method="post">
              <CsrfInput />
              <RepeatGuard />
              <input type="hidden" name="intent" value="propose" />
              <p>{t("page.proposeHint")}</p>
              <button type="submit" className="button">
                {t("page.propose")}
              </button>
            </form>
          </section>
        ) : (
          <p className="notice">{t("page.notAllowed", { status: data.statusTitle })}</p>
        )
      ) : (
        <>
          <p className="plan-status">
            <strong>{data.plan.status === "agreed" ? t("page.statusAgreed", { date: data.plan.agreedAt ?? "" }) : t("page.statusDraft")}</strong>
          </p>
          <section aria-labelledby="items-heading">
            <h2 id="items-heading">{t("page.itemsHeading")}</h2>
            {data.items.length === 0 ? (
              <p>{t("page.noItems")}</p>
            ) : (
              <ul className="plan-items">
                {data.items.map((item) => (
                  <PlanItemCard key={item.id} item={item} draft={draft} errors={errors} />
                ))}
              </ul>
            )}
          </section>
          {data.removed.length > 0 ? (
            <section aria-labelledby="removed-heading">
              <h2 id="removed-heading">{t("page.removedHeading")}</h2>
              <ul>
                {data.removed.map((item) => (
                  <li key={item.id}>{t("page.removedLine", { name: item.name, date: item.removed ?? "" })}</li>
                ))}
              </ul>
            </section>
          ) : null}
          {draft ? (
            <>
              <section aria-labelledby="add-programme-heading">
                <h2 id="add-programme-heading">{t("page.addProgrammeHeading")}</h2>
                <form method="post">
                  <CsrfInput />
                  <RepeatGuard />
                  <input type="hidden" name="intent" value="add_programme" />
                  <SelectField
                    id="add-program"
                    name="program"
                    label={t("page.addProgramme")}
                    placeholder={t("page.choose")}
                    options={data.programmeChoices}
                    defaultValue={answer?.intent === "add_programme" ? values.program : undefined}
                    error={errors["add-program"]}
                  />
                  <NoteField id="add-programme-note" error={errors["add-programme-note"]} defaultValue={answer?.intent === "add_programme" ? values.note : undefined} />
                  <button type="submit" className="button secondary">
                    {t("page.addProgrammeButton")}
                  </button>
                </form>
              </section>
              <section aria-labelledby="add-service-heading">
                <h2 id="add-service-heading">{t("page.addServiceHeading")}</h2>
                <form method="post">
                  <CsrfInput />
                  <RepeatGuard />
                  <input type="hidden" name="intent" value="add_service" />
                  <SelectField
                    id="add-need"
                    name="need"
                    label={t("page.addNeed")}
                    placeholder={t("page.choose")}
                    options={data.needChoices}
                    defaultValue={answer?.intent === "add_service" ? values.need : undefined}
                    error={errors["add-need"]}
                  />
                  <SelectField
                    id="add-service"
                    name="serviceId"
                    label={t("page.addService")}
                    hint={t("page.addServiceHint")}
                    placeholder={t("page.choose")}
                    options={data.allServiceChoices}
                    defaultValue={answer?.intent === "add_service" ? values.serviceId : undefined}
                    error={errors["add-service"]}
                  />
                  <NoteField id="add-service-note" error={errors["add-service-note"]} defaultValue={answer?.intent === "add_service" ? values.note : undefined} />
                  <button type="submit" className="button secondary">
                    {t("page.addServiceButton")}
                  </button>
                </form>
              </section>
              <section aria-labelledby="agree-heading">
                <h2 id="agree-heading">{t("page.agreeHeading")}</h2>
                <form method="post">
                  <CsrfInput />
                  <RepeatGuard />
                  <input type="hidden" name="intent" value="agree" />
                  <p>{t("page.agreeHint")}</p>
                  <RadioGroup
                    name="how"
                    legend={t("page.agreeHow")}
                    error={errors.how}
                    defaultValue={answer?.intent === "agree" ? values.how : undefined}
                    options={AGREED_HOW.map((value) => ({ value, label: t(`page.how.${value}`) }))}
                  />
                  <div className={errors.confirm ? "field has-error" : "field"}>
                    {errors.confirm ? (
                      <p id="confirm-error" className="error-message">
                        <span className="visually-hidden">{t("common:errorPrefix")}</span>
                        {errors.confirm}
                      </p>
                    ) : null}
                    <div className="choice checkbox">
                      <input type="checkbox" id="confirm" name="confirm" value="yes" aria-invalid={errors.confirm ? true : undefined} aria-describedby={errors.confirm ? "confirm-error" : undefined} />
                      <label htmlFor="confirm">{t("page.agreeConfirm")}</label>
                    </div>
                  </div>
                  <button type="submit" className="button">
                    {t("page.agreeButton")}
                  </button>
                </form>
              </section>
            </>
          ) : (
            <p className="hint">{t("page.lockedHint")}</p>
          )}
        </>
      )}
    </>
  );
}
