// /notice/:id/objection: anyone may object to a case on the public notice
// list. :id is the application's internal id (opaque: never the reference).
// The page repeats the row's public facts only. A reason is required, a way
// to reach the sender is optional and only staff see it. Errors answer 400
// with an error summary; more than ABUSE_LIMITS.objectionPerIp objections an
// hour from one address answer 429 (counted in the database, shared by every
// app instance: app/services/abuse-limits.server.ts); a sent objection goes to
// /notice/objection-sent (post/redirect/get) and becomes a supervisor's task.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems } from "~/components/form/error-summary";
import { TextField } from "~/components/form/text-field";
import { fenToYuanText } from "~/domain/case/decision";
import { districtKey } from "~/domain/case/districts";
import { OBJECTION_CONTACT_MAX, OBJECTION_REASON_MAX, readObjectionForm } from "~/domain/case/notice";
import { programName } from "~/domain/eligibility";
import { formatShanghai } from "~/domain/time/shanghai-format";
import type { Language } from "~/i18n";
import { fileObjection, findNoticeCase, type NoticeRow } from "~/models/notice.server";
import { limitObjection, retryAfter } from "~/services/abuse-limits.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { clientIp } from "~/services/track-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";

export const handle = { i18n: ["common", "notice", "case", "rules"] };

const NO_STORE = { "Cache-Control": "private, no-store" };

function notFound(): Response {
  return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** The row's public facts, worded (the same as on /notice). */
function facts(t: TFunction, lng: Language, row: NoticeRow) {
  return [
    { label: t("notice:list.name"), value: row.maskedName },
    { label: t("notice:list.district"), value: row.district ? t(districtKey(row.district)) : t("notice:list.noDistrict") },
    { label: t("notice:list.help"), value: row.programs.map((p) => programName(t, p)).join(t("notice:list.separator")) },
    { label: t("notice:list.household"), value: t("notice:list.people", { count: row.householdSize }) },
    { label: t("notice:list.amount"), value: row.monthlyFen > 0 ? t("notice:list.yuanMonth", { amount: fenToYuanText(row.monthlyFen) }) : t("notice:list.oneOff") },
    { label: t("notice:list.ends"), value: formatShanghai(lng, row.noticeEndsAt, "dateLong") },
  ];
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const row = await findNoticeCase(db, params.id ?? "");
  if (!row) throw notFound();
  const { lng, t } = await translatorFor(request, ["notice", "case", "rules", "common"]);
  return json({ title: pageTitle(t, t("notice:objection.title"), hasFormErrors(context)), id: row.id, facts: facts(t, lng, row) }, { headers: NO_STORE });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

interface ObjectionAnswer {
  errors: Record<string, string>;
  values: { reason: string; contact: string };
  tooMany?: string;
}

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("notice.objection", guardedAction)(args);
}

async function guardedAction({ request, params, context }: ActionFunctionArgs) {
  const id = params.id ?? "";
  const row = await findNoticeCase(db, id);
  if (!row) throw notFound();
  const form = await readForm(request);
  const read = readObjectionForm({ reason: form.get("reason"), contact: form.get("contact") });
  const { t } = await translatorFor(request, ["notice", "common"]);
  if (!read.ok) {
    markFormErrors(context);
    const max = { reason: OBJECTION_REASON_MAX, contact: OBJECTION_CONTACT_MAX };
    const errors = Object.fromEntries(Object.entries(read.errors).map(([field, key]) => [field, t(key, { max: max[field as keyof typeof max] })]));
    return json<ObjectionAnswer>({ errors, values: read.values }, { status: 400, headers: NO_STORE });
  }
  const verdict = await limitObjection(clientIp(context));
  if (!verdict.ok) {
    markFormErrors(context);
    return json<ObjectionAnswer>(
      { errors: {}, values: { reason: read.reason, contact: read.contact ?? "" }, tooMany: t("notice:objection.tooMany") },
      { status: 429, headers: { ...NO_STORE, ...retryAfter(verdict) } },
    );
  }
  const filed = await fileObjection(db, { applicationId: row.id, reason: read.reason, contact: read.contact });
  if (!filed.ok) throw notFound();
  return redirect("/notice/objection-sent", { status: 303 });
}

export default function NoticeObjection() {
  const { t } = useTranslation("notice");
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as ObjectionAnswer | undefined;
  const errors = answer?.errors ?? {};
  const reasonError = errors.reason;
  const describedBy = ["reason-hint", reasonError ? "reason-error" : null].filter(Boolean).join(" ");
  return (
    <>
      <a className="back-link" href="/notice">
        {t("objection.back")}
      </a>
      <ErrorSummary problems={toProblems(errors)} />
      {answer?.tooMany ? (
        <div className="notice case-problem" role="alert">
          <p>{answer.tooMany}</p>
        </div>
      ) : null}
      <h1>{t("objection.title")}</h1>
      <p>{t("objection.about")}</p>
      <dl className="summary-list">
        {data.facts.map((f) => (
          <div className="summary-row" key={f.label}>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </div>
        ))}
      </dl>
      <form method="post" action={`/notice/${data.id}/objection`} noValidate>
        <RepeatGuard />
        <div className={reasonError ? "field has-error" : "field"}>
          <label className="label" htmlFor="reason">
            {t("objection.reason")}
          </label>
          <p id="reason-hint" className="hint">
            {t("objection.reasonHint", { max: OBJECTION_REASON_MAX })}
          </p>
          {reasonError ? (
            <p id="reason-error" className="error-message">
              <span className="visually-hidden">{t("common:errorPrefix")}</span>
              {reasonError}
            </p>
          ) : null}
          <textarea
            id="reason"
            name="reason"
            rows={6}
            className="notice-reason"
            defaultValue={answer?.values.reason ?? ""}
            aria-invalid={reasonError ? true : undefined}
            aria-describedby={describedBy}
          />
        </div>
        <TextField
          name="contact"
          label={t("objection.contact")}
          hint={t("objection.contactHint")}
          error={errors.contact}
          defaultValue={answer?.values.contact ?? ""}
          autoComplete="off"
        />
        <button type="submit" className="button">
          {t("objection.send")}
        </button>
      </form>
    </>
  );
}
