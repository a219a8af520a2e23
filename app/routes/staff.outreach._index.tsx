// /staff/outreach: the ranked outreach list (outreach.view). Leads in the
// rule book's order (most flags, then lowest income per person, then
// household id), 50 a page, filtered by flag, status and data date with a
// plain GET form (works without script, can be bookmarked). Names are masked
// here (张*丰); the full records open only on a lead's own page. Above the
// list, the conversion figures: leads → contacted → invited → applied →
// approved, for the chosen data date or all. Each look is audited (filters and
// counts only).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import {
  FUNNEL_STEPS,
  LEAD_STATUSES,
  headOfHousehold,
  isLeadStatus,
  maskLeadName,
  readFlags,
  readLeadPeople,
} from "~/domain/leads";
import { FLAG_CODES } from "~/domain/outreach";
import { can } from "~/domain/staff/permissions";
import {
  leadDataDates,
  leadFunnel,
  listLeads,
  type LeadFilters,
} from "~/models/outreach-leads.server";
import { recordAudit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { requireStaff, staffActor } from "~/services/staff-session.server";
import { PageLinks } from "~/components/layout/page-links";

export const handle = { i18n: ["common", "staff", "leads"] };

const MAX_PAGE = 10_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parse(url: URL): { filters: LeadFilters; page: number } {
  const q = url.searchParams;
  const filters: LeadFilters = {};
  // Values no form sends (a hand-edited address) are ignored: the list shows "any".
  const flag = q.get("flag");
  if (flag && (FLAG_CODES as readonly string[]).includes(flag))
    filters.flag = flag;
  const status = q.get("status");
  if (isLeadStatus(status)) filters.status = status;
  const dataDate = q.get("dataDate") ?? "";
  if (DATE.test(dataDate)) filters.dataDate = dataDate;
  const n = Number.parseInt(q.get("page") ?? "1", 10);
  return {
    filters,
    page: Number.isFinite(n) && n >= 1 ? Math.min(n, MAX_PAGE) : 1,
  };
}

function href(filters: LeadFilters, page: number): string {
  const q = new URLSearchParams();
  if (filters.flag) q.set("flag", filters.flag);
  if (filters.status) q.set("status", filters.status);
  if (filters.dataDate) q.set("dataDate", filters.dataDate);
  if (page > 1) q.set("page", String(page));
  const text = q.toString();
  return text ? `/staff/outreach?${text}` : "/staff/outreach";
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "outreach.view");
  const { t } = await translatorFor(request, ["leads", "staff"]);
  const { filters, page } = parse(new URL(request.url));
  const [list, funnel, dates] = await Promise.all([
    listLeads(db, filters, page),
    leadFunnel(db, filters.dataDate),
    leadDataDates(db),
  ]);
  const { actor, actorName } = staffActor(ctx);
  await recordAudit(db, {
    actor,
    actorName,
    action: "view_outreach_list",
    subjectType: "outreach_lead",
    detail: {
      filters: { ...filters },
      page: list.page,
      shown: list.rows.length,
    },
  });
  const first = (list.page - 1) * 50;
  return json(
    {
      pageTitle: `${t("leads:list.title")} – ${t("staff:layout.console")}`,
      filters: {
        flag: filters.flag ?? "",
        status: filters.status ?? "",
        dataDate: filters.dataDate ?? "",
      },
      dates:
        filters.dataDate && !dates.includes(filters.dataDate)
          ? [filters.dataDate, ...dates]
          : dates,
      funnel: FUNNEL_STEPS.map((step) => ({
        step,
        count: funnel[step],
        percent:
          funnel.leads > 0
            ? Math.round((100 * funnel[step]) / funnel.leads)
            : 0,
      })),
      total: list.total,
      page: list.page,
      pages: list.pages,
      firstShown: list.rows.length > 0 ? first + 1 : 0,
      lastShown: first + list.rows.length,
      previous: list.page > 1 ? href(filters, list.page - 1) : null,
      next: list.page < list.pages ? href(filters, list.page + 1) : null,
      canWork: can(ctx.staff.role, "outreach.work"),
      rows: list.rows.map((row, i) => {
        const head = headOfHousehold(readLeadPeople(row.people));
        return {
          rank: first + i + 1,
          id: row.id,
          householdId: row.householdId,
          name: head ? maskLeadName(head.name) : "*",
          flags: readFlags(row.flags),
          perCapitaIncome: (row.perCapitaIncomeFen / 100).toFixed(2),
          members: row.members,
          dataDate: row.dataDate,
          status: row.status,
        };
      }),
    },
    { headers: { "Cache-Control": "private, no-store" } }
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.pageTitle ?? "" },
];

export default function OutreachList() {
  const { t } = useTranslation("leads");
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("list.title")}</h1>
      <p>{t("list.lead")}</p>
      {d.canWork ? (
        <p>
          <a href="/staff/outreach/upload" className="button secondary">
            {t("list.upload")}
          </a>
        </p>
      ) : null}

      <section aria-labelledby="funnel-heading">
        <h2 id="funnel-heading">
          {d.filters.dataDate
            ? t("funnel.headingFor", { date: d.filters.dataDate })
            : t("funnel.heading")}
        </h2>
        <ol className="outreach-funnel">
          {d.funnel.map((f) => (
            <li key={f.step}>
              <span className="outreach-funnel-count">{f.count}</span>{" "}
              {t(`funnel.${f.step}`)}
              {f.step !== "leads" ? (
                <span className="hint">
                  {" "}
                  {t("funnel.percent", { percent: f.percent })}
                </span>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      <form
        method="get"
        action="/staff/outreach"
        className="case-filters"
        aria-labelledby="filters-heading"
      >
        <h2 id="filters-heading">{t("filters.heading")}</h2>
        <div className="field">
          <label htmlFor="flag">{t("filters.flag")}</label>
          <select id="flag" name="flag" defaultValue={d.filters.flag}>
            <option value="">{t("filters.any")}</option>
            {FLAG_CODES.map((f) => (
              <option key={f} value={f}>
                {t(`flags.${f}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="status">{t("filters.status")}</label>
          <select id="status" name="status" defaultValue={d.filters.status}>
            <option value="">{t("filters.any")}</option>
            {LEAD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dataDate">{t("filters.dataDate")}</label>
          <select
            id="dataDate"
            name="dataDate"
            defaultValue={d.filters.dataDate}
          >
            <option value="">{t("filters.any")}</option>
            {d.dates.map((date) => (
              <option key={date} value={date}>
                {date}
              </option>
            ))}
          </select>
        </div>
        <div className="case-filter-buttons">
          <button type="submit" className="button">
            {t("filters.apply")}
          </button>
          <a href="/staff/outreach" className="outreach-link">
            {t("filters.clear")}
          </a>
        </div>
      </form>

      <h2 id="results-heading">{t("list.results")}</h2>
      <p role="status">
        {d.total === 0
          ? t("list.none")
          : t("list.showing", {
              first: d.firstShown,
              last: d.lastShown,
              total: d.total,
            })}
      </p>
      {d.rows.length > 0 ? (
        <table
          className="case-table outreach-table"
          aria-labelledby="results-heading"
        >
          <thead>
            <tr>
              <th scope="col">{t("list.columns.rank")}</th>
              <th scope="col">{t("list.columns.household")}</th>
              <th scope="col">{t("list.columns.flags")}</th>
              <th scope="col">{t("list.columns.income")}</th>
              <th scope="col">{t("list.columns.members")}</th>
              <th scope="col">{t("list.columns.dataDate")}</th>
              <th scope="col">{t("list.columns.status")}</th>
            </tr>
          </thead>
          <tbody>
            {d.rows.map((row) => (
              <tr key={row.id}>
                <td data-label={t("list.columns.rank")}>{row.rank}</td>
                <th scope="row" data-label={t("list.columns.household")}>
                  <a
                    href={`/staff/outreach/${row.id}`}
                    className="outreach-link"
                  >
                    {t("list.householdLink", {
                      name: row.name,
                      household: row.householdId,
                    })}
                  </a>
                </th>
                <td data-label={t("list.columns.flags")}>
                  {row.flags
                    .map((f) => t(`flags.${f}`, { defaultValue: f }))
                    .join(t("list.separator"))}
                </td>
                <td data-label={t("list.columns.income")}>
                  {t("list.yuan", { value: row.perCapitaIncome })}
                </td>
                <td data-label={t("list.columns.members")}>{row.members}</td>
                <td data-label={t("list.columns.dataDate")}>{row.dataDate}</td>
                <td data-label={t("list.columns.status")}>
                  {t(`status.${row.status}`, { defaultValue: row.status })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <PageLinks
        previous={d.previous}
        next={d.next}
        label={t("list.pages")}
        previousText={t("list.previous")}
        nextText={t("list.next")}
        pageText={t("list.page", { page: d.page, pages: d.pages })}
        linkClassName="outreach-link"
      />
    </>
  );
}
