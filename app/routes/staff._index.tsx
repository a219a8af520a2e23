// /staff: the dashboard (dashboard.view). Today's call-back queue, the
// overdue items, applications by channel, the median time to a decision,
// the share of call-backs made on time, and where people leave the check.
// Numbers in captioned tables, no charts: every figure can be read aloud.
// Counts and references only, so it is not a look at anyone's personal data.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { shanghaiTime } from "~/domain/callback/shanghai-time";
import { can } from "~/domain/staff/permissions";
import { dashboardFigures } from "~/models/dashboard.server";
import { labelledReferralFigures } from "~/models/referral-figures.server";
import { ReferralFiguresSection } from "~/components/staff/referral-figures";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { requireStaff } from "~/services/staff-session.server";

export const handle = { i18n: ["common", "staff", "dashboard", "queue", "followup"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "dashboard.view");
  const { lng, t } = await translatorFor(request, ["dashboard", "staff"]);
  const figures = await dashboardFigures(db);
  const canOpenQueue = can(ctx.staff.role, "queue.view");
  return json(
    {
      pageTitle: `${t("dashboard:title")} – ${t("staff:layout.console")}`,
      canOpenQueue,
      queue: figures.queue,
      overdueItems: figures.overdueItems.map((item) => ({ ...item, dueAt: shanghaiTime(lng, item.dueAt) })),
      byChannel: figures.byChannel,
      channelTotal: figures.byChannel.reduce((sum, c) => sum + c.count, 0),
      medianDaysToDecision: figures.medianDaysToDecision,
      decisions: figures.decisions,
      onTime: figures.callbacksOnTime,
      funnel: figures.funnel,
      referrals: await labelledReferralFigures(db, lng), // issue 9
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

export default function Dashboard() {
  const { t } = useTranslation("dashboard");
  const d = useLoaderData<typeof loader>();
  const queueRows: [string, number][] = [
    ["open", d.queue.open],
    ["queued", d.queue.queued],
    ["claimed", d.queue.claimed],
    ["dueToday", d.queue.dueToday],
    ["overdue", d.queue.overdue],
    ["flagged", d.queue.flagged],
  ];
  return (
    <>
      <h1>{t("title")}</h1>
      <p>{t("lead")}</p>

      <h2>{t("queue.title")}</h2>
      <table className="queue-table dashboard-figures">
        <caption>{t("queue.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("queue.figure")}</th>
            <th scope="col">{t("queue.number")}</th>
          </tr>
        </thead>
        <tbody>
          {queueRows.map(([key, value]) => (
            <tr key={key}>
              <th scope="row">{t(`queue.${key}`)}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.canOpenQueue ? (
        <p>
          <a href="/staff/callbacks">{t("toQueue")}</a>
        </p>
      ) : null}

      <h2>{t("overdue.title")}</h2>
      {d.overdueItems.length === 0 ? (
        <p>{t("overdue.none")}</p>
      ) : (
        <table className="queue-table">
          <caption>{t("overdue.caption", { count: d.overdueItems.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("overdue.reference")}</th>
              <th scope="col">{t("overdue.source")}</th>
              <th scope="col">{t("overdue.due")}</th>
              <th scope="col">{t("overdue.status")}</th>
            </tr>
          </thead>
          <tbody>
            {d.overdueItems.map((item) => (
              <tr key={item.reference}>
                <th scope="row" data-label={t("overdue.reference")}>
                  {d.canOpenQueue ? <a href={`/staff/callbacks/${item.reference}`}>{item.reference}</a> : item.reference}
                </th>
                <td data-label={t("overdue.source")}>{t(`queue:source.${item.source}`, { defaultValue: item.source })}</td>
                <td data-label={t("overdue.due")}>{item.dueAt}</td>
                <td data-label={t("overdue.status")}>{t(`queue:status.${item.status}`, { defaultValue: item.status })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t("channels.title")}</h2>
      <table className="queue-table dashboard-figures">
        <caption>{t("channels.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("channels.channel")}</th>
            <th scope="col">{t("channels.count")}</th>
          </tr>
        </thead>
        <tbody>
          {d.byChannel.map((c) => (
            <tr key={c.channel}>
              <th scope="row">{t(`channels.names.${c.channel}`, { defaultValue: c.channel })}</th>
              <td>{c.count}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("channels.total")}</th>
            <td>{d.channelTotal}</td>
          </tr>
        </tfoot>
      </table>

      <h2>{t("decisions.title")}</h2>
      {d.medianDaysToDecision === null ? (
        <p>{t("decisions.none")}</p>
      ) : (
        <p>
          {t("decisions.median", { days: d.medianDaysToDecision })} {t("decisions.count", { count: d.decisions })}
        </p>
      )}

      <h2>{t("onTime.title")}</h2>
      <p>{d.onTime.percent === null ? t("onTime.none") : t("onTime.share", { percent: d.onTime.percent, onTime: d.onTime.onTime, total: d.onTime.total })}</p>

      <h2>{t("funnel.title")}</h2>
      <table className="queue-table dashboard-figures">
        <caption>{t("funnel.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("funnel.step")}</th>
            <th scope="col">{t("funnel.drafts")}</th>
            <th scope="col">{t("funnel.percent")}</th>
          </tr>
        </thead>
        <tbody>
          {d.funnel.map((row) => (
            <tr key={row.step}>
              <th scope="row">{t(`funnel.steps.${row.step}`, { defaultValue: row.step })}</th>
              <td>{row.drafts}</td>
              <td>{t("funnel.percentValue", { percent: row.percentOfStart })}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <ReferralFiguresSection figures={d.referrals} />
    </>
  );
}
