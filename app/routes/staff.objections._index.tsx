// /staff/objections: open objections to the public notice list, oldest first
// (supervisors only: permission notice.objections). Each look is audited; the
// list shows the case reference, its status, when its notice ends and the
// start of what the sender wrote. The decision is on /staff/objections/:id.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatShanghai } from "~/domain/time/shanghai-format";
import { listOpenObjections } from "~/models/notice.server";
import { recordAudit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { requireStaff, staffActor } from "~/services/staff-session.server";
import { PageLinks } from "~/components/layout/page-links";

export const handle = { i18n: ["common", "staff", "notice", "case"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "notice.objections");
  const { lng, t } = await translatorFor(request, [
    "notice",
    "case",
    "staff",
    "common",
  ]);
  const page = Number.parseInt(
    new URL(request.url).searchParams.get("page") ?? "1",
    10
  );
  const list = await listOpenObjections(db, Number.isFinite(page) ? page : 1);
  await recordAudit(db, {
    ...staffActor(ctx),
    action: "view_objection_list",
    subjectType: "notice_objection",
    subjectId: null,
    detail: { page: list.page, shown: list.rows.length },
  });
  return json(
    {
      pageTitle: `${t("notice:staff.listTitle")} – ${t(
        "staff:layout.console"
      )}`,
      rows: list.rows.map((r) => ({
        id: r.id,
        received: formatShanghai(lng, r.createdAt, "dateTime"),
        reference: r.reference,
        caseStatus: t(`case:status.${r.caseStatus}.title`),
        noticeEnds: r.noticeEndsAt
          ? formatShanghai(lng, r.noticeEndsAt, "dateTime")
          : "",
        excerpt: r.excerpt,
      })),
      page: list.page,
      previous:
        list.page > 1 ? `/staff/objections?page=${list.page - 1}` : null,
      next: list.hasNext ? `/staff/objections?page=${list.page + 1}` : null,
    },
    { headers: { "Cache-Control": "private, no-store" } }
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.pageTitle ?? "" },
];

export default function ObjectionList() {
  const { t } = useTranslation("notice");
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("staff.listTitle")}</h1>
      <p>{t("staff.listIntro")}</p>
      {data.rows.length === 0 ? (
        <p>{t("staff.empty")}</p>
      ) : (
        <table className="case-table">
          <caption>{t("staff.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("staff.case")}</th>
              <th scope="col">{t("staff.received")}</th>
              <th scope="col">{t("staff.caseStatus")}</th>
              <th scope="col">{t("staff.noticeEnds")}</th>
              <th scope="col">{t("staff.reason")}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((row) => (
              <tr key={row.id}>
                <th scope="row" data-label={t("staff.case")}>
                  <a
                    href={`/staff/objections/${row.id}`}
                    className="case-link"
                    aria-label={t("staff.open", { reference: row.reference })}
                  >
                    {row.reference}
                  </a>
                </th>
                <td data-label={t("staff.received")}>{row.received}</td>
                <td data-label={t("staff.caseStatus")}>{row.caseStatus}</td>
                <td data-label={t("staff.noticeEnds")}>{row.noticeEnds}</td>
                <td data-label={t("staff.reason")}>{row.excerpt}</td>
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
