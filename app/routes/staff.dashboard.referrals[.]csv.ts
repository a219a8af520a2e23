// GET /staff/dashboard/referrals.csv (dashboard.view): the dashboard's
// referral figures as a spreadsheet: referrals by state, the share
// delivered, satisfaction by programme, service and answer channel. UTF-8
// with a byte order mark so Excel reads the Chinese text; headers and labels
// in the reader's language; cells that could start a formula are defused
// (csvCell). Counts and averages only, and the download is audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvCell } from "~/domain/staff/audit-filter";
import { labelledReferralFigures, type LabelledReferralFigures } from "~/models/referral-figures.server";
import { recordAudit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { requireStaff, staffActor } from "~/services/staff-session.server";

type Cell = string | number | null;
type Translate = Awaited<ReturnType<typeof translatorFor>>["t"];

/** The rows under the header: figure, group, count, total, percent, average, answers. */
function referralCsvRows(t: Translate, f: LabelledReferralFigures): Cell[][] {
  const rows: Cell[][] = [];
  for (const s of f.byState) rows.push([t("csv.figures.state"), t(`dashboard.states.${s.state}`, { defaultValue: s.state }), s.count, f.total, null, null, null]);
  rows.push([t("csv.figures.delivered"), t("csv.all"), f.delivered, f.total, f.deliveredPercent, null, null]);
  for (const p of f.byProgramme) rows.push([t("csv.figures.programme"), p.label, null, null, null, p.average, p.answers]);
  for (const s of f.byService) rows.push([t("csv.figures.service"), t("dashboard.serviceName", { service: s.service, organisation: s.organisation }), null, null, null, s.average, s.answers]);
  for (const c of f.byCaseChannel) rows.push([t("csv.figures.caseChannel"), t(`dashboard.caseChannels.${c.channel}`, { defaultValue: c.channel }), null, null, null, c.average, c.answers]);
  for (const c of f.byChannel) rows.push([t("csv.figures.channel"), t(`dashboard.channels.${c.channel}`, { defaultValue: c.channel }), null, null, null, c.average, c.answers]);
  return rows;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "dashboard.view");
  const { lng, t } = await translatorFor(request, "followup");
  const figures = await labelledReferralFigures(db, lng);
  await recordAudit(db, { ...staffActor(ctx), action: "export_referral_figures", subjectType: "dashboard", detail: { format: "csv", referrals: figures.total } });
  const header = [t("csv.figure"), t("csv.group"), t("csv.count"), t("csv.total"), t("csv.percent"), t("csv.average"), t("csv.answers")];
  const lines = [header, ...referralCsvRows(t, figures)].map((row) => row.map((cell) => csvCell(cell)).join(","));
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(`\uFEFF${lines.join("\r\n")}\r\n`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="lifeline-referrals-${stamp}.csv"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
