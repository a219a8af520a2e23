// /partner/referrals/:id: one referral of the partner's organisation, with
// only what the service needs: the service and the need, the resident's name
// and phone (masked until the partner accepts, then in full to call them),
// the district and the date sent. Never the ID number, income, household or
// the rest of the case. Answers: accept; decline with a reason (a plain choice,
// or "other" with a note); report delivery with a short note. Each look and
// each answer is on the audit log; each answer is on the case timeline; a
// decline opens a task for the caseworker.
// Another organisation's referral, or none: 404, and nothing is audited.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems, type FieldErrors } from "~/components/form/error-summary";
import { RadioGroup } from "~/components/form/radio-group";
import { RepeatGuard } from "~/components/form/repeat-guard";
import { TextField } from "~/components/form/text-field";
import { PartnerCsrfInput } from "~/components/partner/csrf-input";
import { checkDecline, checkDelivery, DECLINE_REASONS, NOTE_MAX, type PartnerAnswerKind } from "~/domain/referral/partner-answer";
import { formatShanghai } from "~/domain/time/shanghai-format";
import { answerReferral, auditPartnerView, findPartnerReferral, type PartnerAnswer } from "~/models/referral.server";
import { db } from "~/services/db.server";
import { readForm } from "~/services/form-body.server";
import { translatorFor } from "~/services/i18n.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { requirePartner, requirePartnerAction } from "~/services/partner-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";

export const handle = { i18n: ["common", "staff", "partner", "case"] };

const NO_STORE = { "Cache-Control": "private, no-store" };
const DONE = ["accepted", "declined", "delivered"] as const;

function notFound(): Response {
  return new Response("Not found", { status: 404, headers: NO_STORE });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await requirePartner(request);
  const { lng, t } = await translatorFor(request, ["partner", "case", "common"]);
  const referral = await findPartnerReferral(db, ctx.organisation.id, params.id ?? "");
  if (!referral) throw notFound();
  await auditPartnerView(db, ctx.who, { organisationId: ctx.organisation.id, referralId: referral.id, phoneShown: referral.phoneShown });
  const done = new URL(request.url).searchParams.get("done");
  const title = t("partner:referral.title", { service: referral.serviceName });
  return json(
    {
      referral: {
        id: referral.id,
        status: referral.status,
        service: referral.serviceName,
        need: referral.need ? t(`partner:needs.${referral.need}`, { defaultValue: referral.need }) : "",
        name: referral.residentName,
        phone: referral.phone,
        phoneShown: referral.phoneShown,
        district: referral.district ? t(`case:district.${referral.district}`, { defaultValue: referral.district }) : t("partner:referral.noDistrict"),
        sentAt: formatShanghai(lng, referral.sentAt, "dateLong"),
        respondedAt: referral.respondedAt ? formatShanghai(lng, referral.respondedAt, "dateLong") : null,
        deliveredAt: referral.deliveredAt ? formatShanghai(lng, referral.deliveredAt, "dateLong") : null,
        decline: referral.decline
          ? { reason: t(`partner:decline.reasons.${referral.decline.reason}`), note: referral.decline.note }
          : null,
        deliveryNote: referral.deliveryNote,
        answers: referral.answers,
      },
      done: (DONE as readonly string[]).includes(done ?? "") ? done : null,
      pageTitle: `${hasFormErrors(context) ? t("common:errorPrefix") : ""}${title} – ${t("partner:layout.title")}`,
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: see the staff admin pages.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("partner.referrals.item", guardedAction)(args);
}

type ActionData = { errors: FieldErrors; values?: { reason?: string; note?: string; deliveryNote?: string }; message?: string };

async function guardedAction({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requirePartnerAction(request, form);
  const { t } = await translatorFor(request, ["partner", "common"]);
  const id = params.id ?? "";
  const intent = form.get("intent") as PartnerAnswerKind | null;
  const fail = (errors: FieldErrors, values: ActionData["values"] = {}, status = 400) => {
    markFormErrors(context);
    return json<ActionData>({ errors, values }, { status, headers: NO_STORE });
  };
  const values = {
    reason: typeof form.get("reason") === "string" ? (form.get("reason") as string) : "",
    note: typeof form.get("note") === "string" ? (form.get("note") as string) : "",
    deliveryNote: typeof form.get("deliveryNote") === "string" ? (form.get("deliveryNote") as string) : "",
  };
  let answer: PartnerAnswer;
  if (intent === "accept") {
    answer = { kind: "accept" };
  } else if (intent === "decline") {
    const checked = checkDecline({ reason: form.get("reason"), note: form.get("note") });
    if (!checked.ok) {
      return fail(Object.fromEntries(Object.entries(checked.errors).map(([field, code]) => [field, t(`partner:errors.${field}.${code}`, { max: NOTE_MAX })])), values);
    }
    answer = { kind: "decline", decline: checked.value };
  } else if (intent === "deliver") {
    const checked = checkDelivery({ note: form.get("deliveryNote") });
    if (!checked.ok) {
      return fail(Object.fromEntries(Object.entries(checked.errors).map(([field, code]) => [field, t(`partner:errors.${field}.${code}`, { max: NOTE_MAX })])), values);
    }
    answer = { kind: "deliver", note: checked.value.note };
  } else {
    // Not one of the page's forms: check the referral is theirs first (404 otherwise, as for a look).
    if (!(await findPartnerReferral(db, ctx.organisation.id, id))) throw notFound();
    return fail({ intent: t("partner:errors.intent") });
  }
  const result = await answerReferral(db, { organisationId: ctx.organisation.id, referralId: id, who: ctx.who, answer });
  if (!result.ok) {
    if (result.error === "notFound") throw notFound();
    return json<ActionData>({ errors: {}, message: t("partner:errors.stale") }, { status: 409, headers: NO_STORE });
  }
  return redirect(`/partner/referrals/${encodeURIComponent(id)}?done=${result.status}`, { status: 303, headers: NO_STORE });
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="summary-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export default function PartnerReferral() {
  const { t } = useTranslation("partner");
  const { referral: r, done } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as ActionData | undefined;
  const errors: FieldErrors = answer?.errors ?? {};
  const values = answer?.values ?? {};
  return (
    <>
      <p>
        <a className="back-link" href="/partner">
          {t("referral.back")}
        </a>
      </p>
      <ErrorSummary problems={toProblems(errors)} />
      {answer?.message ? (
        <div className="notice" role="alert">
          <p>{answer.message}</p>
        </div>
      ) : null}
      {done && !answer ? (
        <div className="notice success" role="status">
          <p>{t(`referral.done.${done}`)}</p>
        </div>
      ) : null}
      <h1>{t("referral.title", { service: r.service })}</h1>
      <p>
        {t("referral.stateNow")} <strong>{t(`states.${r.status}`)}</strong>
      </p>
      <dl className="summary-list">
        <Row label={t("referral.service")}>{r.service}</Row>
        <Row label={t("referral.need")}>{r.need}</Row>
        <Row label={t("referral.name")}>{r.name}</Row>
        <Row label={t("referral.phone")}>
          {r.phoneShown ? <a href={`tel:${r.phone}`}>{r.phone}</a> : r.phone}
          {r.phoneShown ? null : <span className="hint"> {t("referral.phoneAfterAccept")}</span>}
        </Row>
        <Row label={t("referral.district")}>{r.district}</Row>
        <Row label={t("referral.sentAt")}>{r.sentAt}</Row>
        {r.respondedAt ? <Row label={t("referral.respondedAt")}>{r.respondedAt}</Row> : null}
        {r.decline ? (
          <Row label={t("referral.declineReason")}>
            {r.decline.reason}
            {r.decline.note ? ` – ${r.decline.note}` : ""}
          </Row>
        ) : null}
        {r.deliveredAt ? <Row label={t("referral.deliveredAt")}>{r.deliveredAt}</Row> : null}
        {r.deliveryNote ? <Row label={t("referral.deliveryNote")}>{r.deliveryNote}</Row> : null}
      </dl>

      {r.answers.includes("accept") ? (
        <section aria-labelledby="accept-heading">
          <h2 id="accept-heading">{t("accept.title")}</h2>
          <p>{t("accept.body")}</p>
          <Form method="post">
            <PartnerCsrfInput />
            <RepeatGuard />
            <input type="hidden" name="intent" value="accept" />
            <button type="submit" className="button">
              {t("accept.submit")}
            </button>
          </Form>
        </section>
      ) : null}

      {r.answers.includes("deliver") ? (
        <section aria-labelledby="deliver-heading">
          <h2 id="deliver-heading">{t("deliver.title")}</h2>
          <Form method="post" noValidate>
            <PartnerCsrfInput />
            <RepeatGuard />
            <input type="hidden" name="intent" value="deliver" />
            <TextField name="deliveryNote" label={t("deliver.note")} hint={t("deliver.noteHint", { max: NOTE_MAX })} defaultValue={values.deliveryNote} error={errors.deliveryNote} maxLength={NOTE_MAX} />
            <button type="submit" className="button">
              {t("deliver.submit")}
            </button>
          </Form>
        </section>
      ) : null}

      {r.answers.includes("decline") ? (
        <section aria-labelledby="decline-heading">
          <h2 id="decline-heading">{t("decline.title")}</h2>
          <p>{t("decline.body")}</p>
          <Form method="post" noValidate>
            <PartnerCsrfInput />
            <RepeatGuard />
            <input type="hidden" name="intent" value="decline" />
            <RadioGroup
              name="reason"
              legend={t("decline.reason")}
              error={errors.reason}
              defaultValue={values.reason}
              options={DECLINE_REASONS.map((value) => ({ value, label: t(`decline.reasons.${value}`) }))}
            />
            <TextField name="note" label={t("decline.note")} hint={t("decline.noteHint", { max: NOTE_MAX })} defaultValue={values.note} error={errors.note} maxLength={NOTE_MAX} />
            <button type="submit" className="button secondary">
              {t("decline.submit")}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
