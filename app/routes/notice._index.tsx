// /notice: the public notice list (公示). Anyone, signed in or not, sees the
// approved cases in their notice period, newest first, 50 a page, optionally
// one district: only a masked name, the district, the help granted, the
// household size, the monthly amount and the day the notice ends (rule book,
// "Privacy on the public notice list"). Each row links to its objection form.
// A plain GET form filters by district: no script needed.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { DISTRICTS, districtKey, isDistrict } from "~/domain/case/districts";
import { fenToYuanText } from "~/domain/case/decision";
import { programName } from "~/domain/eligibility";
import { formatShanghai } from "~/domain/time/shanghai-format";
import { listNoticeCases } from "~/models/notice.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { pageTitle } from "~/utils/page-title";
import { PageLinks } from "~/components/layout/page-links";

export const handle = { i18n: ["common", "notice", "case", "rules"] };

function pageHref(page: number, district: string | null): string {
  const params = new URLSearchParams();
  if (district) params.set("district", district);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `/notice?${query}` : "/notice";
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { lng, t } = await translatorFor(request, [
    "notice",
    "case",
    "rules",
    "common",
  ]);
  const url = new URL(request.url);
  const rawDistrict = url.searchParams.get("district");
  const district = isDistrict(rawDistrict) ? rawDistrict : null;
  const page = Number.parseInt(url.searchParams.get("page") ?? "1", 10);
  const list = await listNoticeCases(db, {
    district,
    page: Number.isFinite(page) ? page : 1,
  });
  return json({
    title: pageTitle(t, t("notice:list.title")),
    district,
    districtName: district ? t(districtKey(district)) : null,
    districts: DISTRICTS.map((code) => ({ code, name: t(districtKey(code)) })),
    rows: list.rows.map((row) => {
      const districtName = row.district
        ? t(districtKey(row.district))
        : t("notice:list.noDistrict");
      const ends = formatShanghai(lng, row.noticeEndsAt, "dateLong");
      return {
        id: row.id,
        name: row.maskedName,
        district: districtName,
        help: row.programs
          .map((p) => programName(t, p))
          .join(t("notice:list.separator")),
        household: t("notice:list.people", { count: row.householdSize }),
        amount:
          row.monthlyFen > 0
            ? t("notice:list.yuanMonth", {
                amount: fenToYuanText(row.monthlyFen),
              })
            : t("notice:list.oneOff"),
        ends,
        objectLabel: t("notice:list.objectTo", {
          name: row.maskedName,
          district: districtName,
          date: ends,
        }),
      };
    }),
    page: list.page,
    previous: list.page > 1 ? pageHref(list.page - 1, district) : null,
    next: list.hasNext ? pageHref(list.page + 1, district) : null,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "" },
];

export default function NoticeList() {
  const { t } = useTranslation("notice");
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("list.title")}</h1>
      <p className="lead">{t("list.intro")}</p>
      <p>{t("list.shown")}</p>
      <h2>{t("list.howHeading")}</h2>
      <p>{t("list.how")}</p>

      <form method="get" action="/notice" className="notice-filter">
        <div className="field">
          <label htmlFor="district">{t("list.filterLegend")}</label>
          <select
            id="district"
            name="district"
            defaultValue={data.district ?? ""}
          >
            <option value="">{t("list.allDistricts")}</option>
            {data.districts.map((d) => (
              <option key={d.code} value={d.code}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button secondary">
          {t("list.filterButton")}
        </button>
      </form>

      {data.rows.length === 0 ? (
        <p>{data.district ? t("list.emptyDistrict") : t("list.empty")}</p>
      ) : (
        <table className="case-table notice-table">
          <caption>
            {data.districtName
              ? t("list.captionDistrict", { district: data.districtName })
              : t("list.caption")}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t("list.name")}</th>
              <th scope="col">{t("list.district")}</th>
              <th scope="col">{t("list.help")}</th>
              <th scope="col">{t("list.household")}</th>
              <th scope="col">{t("list.amount")}</th>
              <th scope="col">{t("list.ends")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("list.object")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((row) => (
              <tr key={row.id}>
                <th scope="row" data-label={t("list.name")}>
                  {row.name}
                </th>
                <td data-label={t("list.district")}>{row.district}</td>
                <td data-label={t("list.help")}>{row.help}</td>
                <td data-label={t("list.household")}>{row.household}</td>
                <td data-label={t("list.amount")}>{row.amount}</td>
                <td data-label={t("list.ends")}>{row.ends}</td>
                <td className="notice-object">
                  <a
                    href={`/notice/${row.id}/objection`}
                    className="case-link"
                    aria-label={row.objectLabel}
                  >
                    {t("list.object")}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
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
