// /staff/audit (supervisors and admins): the audit log, newest first, 50 a
// page, searched by who (username), what (action), which record (reference
// or id) and dates; "Check the record" recomputes every hash and names the
// first entry that does not match. A link downloads the same search as CSV
// or JSON lines. Looking at the log is itself recorded (view_audit).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems } from "~/components/form/error-summary";
import { TextField } from "~/components/form/text-field";
import { AUDIT_PAGE_SIZE, auditSearchParams, parseAuditQuery } from "~/domain/staff/audit-filter";
import { staffDateTime } from "~/domain/staff/format";
import { can } from "~/domain/staff/permissions";
import { auditActions, searchAudit } from "~/models/audit.server";
import { recordAudit, verifyAuditChain, type ChainCheck } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { requireStaff, staffActor } from "~/services/staff-session.server";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "staff", "audit"] };

const NO_STORE = { "Cache-Control": "private, no-store" };

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "audit.view");
  const { lng, t } = await translatorFor(request, ["audit", "common"]);
  const url = new URL(request.url);
  const query = parseAuditQuery(url.searchParams);
  const hasErrors = Object.keys(query.errors).length > 0;
  const errors = Object.fromEntries(Object.entries(query.errors).map(([field, code]) => [field, t(`audit:errors.${field}.${code}`)]));
  const verify = url.searchParams.get("verify") === "1";

  await recordAudit(db, {
    ...staffActor(ctx),
    action: verify ? "verify_audit" : "view_audit",
    subjectType: "audit",
    detail: { filter: hasErrors ? {} : query.values, page: query.page },
  });
  const chain: ChainCheck | null = verify ? await verifyAuditChain(db) : null;
  const { rows, total } = hasErrors ? { rows: [], total: 0 } : await searchAudit(db, query.filter, { page: query.page, pageSize: AUDIT_PAGE_SIZE });
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  return json(
    {
      values: query.values,
      errors,
      page: query.page,
      pages,
      total,
      actions: await auditActions(db),
      canExport: can(ctx.staff.role, "audit.export"),
      chain,
      entries: rows.map((r) => ({
        seq: r.seq,
        at: staffDateTime(lng, r.at),
        who: r.actorName ?? r.actor,
        action: r.action,
        subject: r.subjectId ? `${r.subjectType} ${r.subjectId}` : r.subjectType,
        reason: r.reason,
        detail: r.detail === "{}" ? "" : r.detail,
      })),
      pageTitle: pageTitle(t, t("audit:title"), hasErrors),
    },
    { status: hasErrors ? 400 : 200, headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

export default function AuditLog() {
  const { t } = useTranslation("audit");
  const data = useLoaderData<typeof loader>();
  const { values, errors, page, pages, total, entries, chain } = data;
  const link = (extra: Record<string, string>) => `/staff/audit${auditSearchParams(values, extra)}`;
  return (
    <>
      <ErrorSummary problems={toProblems(errors)} />
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>

      {chain ? (
        <p className={chain.ok ? "notice success" : "notice error-notice"} role="status">
          {chain.ok ? t("chain.ok", { count: chain.checked }) : t("chain.broken", { seq: chain.brokenSeq })}
        </p>
      ) : null}

      <Form method="get" className="audit-search">
        <h2>{t("search.title")}</h2>
        <TextField name="actor" label={t("search.actor")} hint={t("search.actorHint")} autoComplete="off" defaultValue={values.actor} />
        <div className="field">
          <label className="label" htmlFor="action">
            {t("search.action")}
          </label>
          <select id="action" name="action" defaultValue={values.action}>
            <option value="">{t("search.anyAction")}</option>
            {data.actions.map((a) => (
              <option key={a} value={a}>
                {t(`actions.${a}`, { defaultValue: a })}
              </option>
            ))}
          </select>
        </div>
        <TextField name="subject" label={t("search.subject")} hint={t("search.subjectHint")} autoComplete="off" defaultValue={values.subject} />
        <TextField name="from" label={t("search.from")} hint={t("search.dateHint")} autoComplete="off" short defaultValue={values.from} error={errors.from} />
        <TextField name="to" label={t("search.to")} hint={t("search.dateHint")} autoComplete="off" short defaultValue={values.to} error={errors.to} />
        <div className="button-group">
          <button type="submit" className="button">
            {t("search.submit")}
          </button>
          <button type="submit" name="verify" value="1" className="button secondary">
            {t("chain.check")}
          </button>
        </div>
      </Form>

      <h2>{t("results.title", { count: total })}</h2>
      {data.canExport && total > 0 ? (
        <ul className="link-list">
          <li>
            <a href={`/staff/audit/export${auditSearchParams(values, { format: "csv" })}`} download>
              {t("export.csv")}
            </a>
          </li>
          <li>
            <a href={`/staff/audit/export${auditSearchParams(values, { format: "jsonl" })}`} download>
              {t("export.jsonl")}
            </a>
          </li>
        </ul>
      ) : null}
      {entries.length === 0 ? (
        <p>{t("results.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="staff-table">
            <caption className="visually-hidden">{t("results.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("results.seq")}</th>
                <th scope="col">{t("results.at")}</th>
                <th scope="col">{t("results.who")}</th>
                <th scope="col">{t("results.action")}</th>
                <th scope="col">{t("results.subject")}</th>
                <th scope="col">{t("results.detail")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td>
                  <td>{e.at}</td>
                  <td>{e.who}</td>
                  <td>{t(`actions.${e.action}`, { defaultValue: e.action })}</td>
                  <td>{e.subject}</td>
                  <td>
                    {e.reason ? <p className="audit-reason">{t("results.reason", { reason: e.reason })}</p> : null}
                    {e.detail ? <code className="audit-detail">{e.detail}</code> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 ? (
        <nav className="pager" aria-label={t("pager.label")}>
          {page > 1 ? <a href={link({ page: String(page - 1) })}>{t("pager.newer")}</a> : null}
          <p>{t("pager.position", { page, pages })}</p>
          {page < pages ? <a href={link({ page: String(page + 1) })}>{t("pager.older")}</a> : null}
        </nav>
      ) : null}
    </>
  );
}
