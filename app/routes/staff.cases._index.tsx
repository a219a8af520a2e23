// /staff/cases: the case list for caseworkers (case.view). Filters are a plain
// GET form (status, programme, channel, district, overdue), so the page works
// without script and a filtered list can be bookmarked; 50 cases a page.
// Names are masked ("王*"); the list itself is a look at personal data, so
// each view is audited with its filters (never a name).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import {
  CASE_STATUSES,
  CHANNELS,
  isCaseStatus,
  isChannel,
  OVERDUE_WORKING_DAYS,
} from "~/domain/case";
import { PROGRAM_CODES, type ProgramCode } from "~/domain/eligibility";
import type { Language } from "~/i18n";
import {
  auditCaseView,
  CASES_PER_PAGE,
  listCases,
  type CaseListFilters,
} from "~/models/case-review.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { requireStaff, staffActor } from "~/services/staff-session.server";
import { formatShanghai } from "~/domain/time/shanghai-format";
import { memoTranslate } from "~/utils/memo-translate";
import { PageLinks } from "~/components/layout/page-links";

export const handle = { i18n: ["common", "staff", "cases", "case", "rules"] };

const MAX_PAGE = 10_000;
const DISTRICT_MAX = 50;

function parseFilters(url: URL): { filters: CaseListFilters; page: number } {
  const q = url.searchParams;
  const filters: CaseListFilters = {};
  // Values that cannot come from the form (a hand-edited URL) are ignored: the list shows "any".
  const status = q.get("status");
  if (isCaseStatus(status)) filters.status = status;
  const program = q.get("program");
  if (program && (PROGRAM_CODES as readonly string[]).includes(program))
    filters.program = program as ProgramCode;
  const channel = q.get("channel");
  if (isChannel(channel)) filters.channel = channel;
  const district = (q.get("district") ?? "").trim();
  if (district && Array.from(district).length <= DISTRICT_MAX)
    filters.district = district;
  if (q.get("overdue") === "1") filters.overdue = true;
  const pageNumber = Number.parseInt(q.get("page") ?? "1", 10);
  const page =
    Number.isFinite(pageNumber) && pageNumber >= 1
      ? Math.min(pageNumber, MAX_PAGE)
      : 1;
  return { filters, page };
}

function query(filters: CaseListFilters, page: number): string {
  const q = new URLSearchParams();
  if (filters.status) q.set("status", filters.status);
  if (filters.program) q.set("program", filters.program);
  if (filters.channel) q.set("channel", filters.channel);
  if (filters.district) q.set("district", filters.district);
  if (filters.overdue) q.set("overdue", "1");
  if (page > 1) q.set("page", String(page));
  const text = q.toString();
  return text ? `?${text}` : "";
}

function dateText(lng: Language, at: Date): string {
  return formatShanghai(lng, at, "date");
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "case.view");
  const { lng, t } = await translatorFor(request, ["cases", "staff"]);
  const url = new URL(request.url);
  const { filters, page } = parseFilters(url);
  const list = await listCases(db, filters, page);
  const { actor, actorName } = staffActor(ctx);
  // Masked names are still personal data on a screen: the look is on the record (filters and counts only).
  await auditCaseView(db, {
    actor,
    actorName,
    action: "view_case_list",
    reference: null,
    detail: { filters: { ...filters }, page, shown: list.rows.length },
  });
  return json(
    {
      filters: {
        status: filters.status ?? "",
        program: filters.program ?? "",
        channel: filters.channel ?? "",
        district: filters.district ?? "",
        overdue: filters.overdue ?? false,
      },
      rows: list.rows.map((row) => ({
        ...row,
        submittedAt: dateText(lng, row.submittedAt),
      })),
      page: list.page,
      total: list.total,
      totalCapped: list.totalCapped,
      firstShown:
        list.rows.length > 0 ? (list.page - 1) * CASES_PER_PAGE + 1 : 0,
      lastShown: (list.page - 1) * CASES_PER_PAGE + list.rows.length,
      previous:
        list.page > 1 ? `/staff/cases${query(filters, list.page - 1)}` : null,
      next: list.hasNext
        ? `/staff/cases${query(filters, list.page + 1)}`
        : null,
      pageTitle: `${t("cases:list.title")} – ${t("staff:layout.console")}`,
    },
    { headers: { "Cache-Control": "private, no-store" } }
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.pageTitle ?? "" },
];

export default function CaseList() {
  // Each row asks for the same labels and names: looked up once per render.
  const { t: translate, i18n } = useTranslation(["cases", "case", "rules"]);
  const t = memoTranslate(translate, `${i18n.language}|cases,case,rules`);
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("list.title")}</h1>
      <form
        method="get"
        action="/staff/cases"
        className="case-filters"
        aria-labelledby="filters-heading"
      >
        <h2 id="filters-heading">{t("filters.heading")}</h2>
        <div className="field">
          <label htmlFor="status">{t("filters.status")}</label>
          <select id="status" name="status" defaultValue={data.filters.status}>
            <option value="">{t("filters.any")}</option>
            {CASE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`case:status.${s}.title`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="program">{t("filters.program")}</label>
          <select
            id="program"
            name="program"
            defaultValue={data.filters.program}
          >
            <option value="">{t("filters.any")}</option>
            {PROGRAM_CODES.map((p) => (
              <option key={p} value={p}>
                {t(`rules:program.${p}.name`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="channel">{t("filters.channel")}</label>
          <select
            id="channel"
            name="channel"
            defaultValue={data.filters.channel}
          >
            <option value="">{t("filters.any")}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`case:channel.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="district">{t("filters.district")}</label>
          <input
            id="district"
            name="district"
            type="text"
            defaultValue={data.filters.district}
            maxLength={DISTRICT_MAX}
            autoComplete="off"
          />
        </div>
        <div className="field case-filter-check">
          <input
            id="overdue"
            name="overdue"
            type="checkbox"
            value="1"
            defaultChecked={data.filters.overdue}
            aria-describedby="overdue-hint"
          />
          <label htmlFor="overdue">{t("filters.overdue")}</label>
          <p id="overdue-hint" className="hint">
            {t("filters.overdueHint", { days: OVERDUE_WORKING_DAYS })}
          </p>
        </div>
        <div className="case-filter-buttons">
          <button type="submit" className="button">
            {t("filters.apply")}
          </button>
          <a href="/staff/cases" className="case-link">
            {t("filters.clear")}
          </a>
        </div>
      </form>

      <h2 id="results-heading">{t("list.results")}</h2>
      <p role="status">
        {data.total === 0
          ? t("list.none")
          : t(data.totalCapped ? "list.showingMany" : "list.showing", {
              first: data.firstShown,
              last: data.lastShown,
              total: data.total,
            })}
      </p>
      {data.rows.length > 0 ? (
        <table className="case-table" aria-labelledby="results-heading">
          <thead>
            <tr>
              <th scope="col">{t("list.columns.reference")}</th>
              <th scope="col">{t("list.columns.submitted")}</th>
              <th scope="col">{t("list.columns.status")}</th>
              <th scope="col">{t("list.columns.channel")}</th>
              <th scope="col">{t("list.columns.programs")}</th>
              <th scope="col">{t("list.columns.name")}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((row) => (
              <tr key={row.reference}>
                <th scope="row" data-label={t("list.columns.reference")}>
                  <a
                    href={`/staff/cases/${row.reference}`}
                    className="case-link"
                  >
                    {row.reference}
                  </a>
                  {row.overdue ? (
                    <span className="tag overdue">{t("list.overdue")}</span>
                  ) : null}
                </th>
                <td data-label={t("list.columns.submitted")}>
                  {row.submittedAt}
                </td>
                <td data-label={t("list.columns.status")}>
                  {t(`case:status.${row.status}.title`)}
                </td>
                <td data-label={t("list.columns.channel")}>
                  {t(`case:channel.${row.channel}`, {
                    defaultValue: row.channel,
                  })}
                </td>
                <td data-label={t("list.columns.programs")}>
                  {row.programs
                    .map((p) => t(`rules:program.${p}.name`))
                    .join(t("list.separator"))}
                </td>
                <td data-label={t("list.columns.name")}>{row.maskedName}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <PageLinks
        previous={data.previous}
        next={data.next}
        label={t("list.pages")}
        previousText={t("list.previous")}
        nextText={t("list.next")}
        pageText={t("list.page", { page: data.page })}
        linkClassName="case-link"
      />
    </>
  );
}
