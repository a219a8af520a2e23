// The figures on the staff dashboard (/staff): counts only, no personal data,
// so every role with dashboard.view (admins included) may see them. Each
// figure reads only the columns it needs, over the last 30 days where it says so.
import { CHANNELS } from "~/domain/case";
import { median, shanghaiDayBounds } from "~/domain/callback";
import { CHECK_JOURNEY, funnelRows, type FunnelRow } from "~/domain/callback/funnel";
import { journeyStepCounts } from "~/models/journey-step.server";
import type { Db } from "~/services/db.server";

export const DASHBOARD_WINDOW_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
const OVERDUE_LIST = 10;
const OPEN = ["queued", "claimed"];

export interface DashboardFigures {
  queue: { open: number; queued: number; claimed: number; dueToday: number; overdue: number; flagged: number };
  /** the longest-overdue items: reference, source and due time only */
  overdueItems: { reference: string; source: string; dueAt: Date; status: string }[];
  byChannel: { channel: string; count: number }[];
  /** median whole days from submission to a decision, decisions in the window; null without any */
  medianDaysToDecision: number | null;
  decisions: number;
  /** call-backs in the window whose first call was at or before the due time */
  callbacksOnTime: { onTime: number; total: number; percent: number | null };
  funnel: FunnelRow[];
}

export async function dashboardFigures(db: Db, now: Date = new Date()): Promise<DashboardFigures> {
  const since = new Date(now.getTime() - DASHBOARD_WINDOW_DAYS * DAY_MS);
  const today = shanghaiDayBounds(now);
  const [queued, claimed, dueToday, overdue, flagged, overdueRows] = await Promise.all([
    db.callbackRequest.count({ where: { status: "queued" } }),
    db.callbackRequest.count({ where: { status: "claimed" } }),
    db.callbackRequest.count({ where: { status: { in: OPEN }, dueAt: { gte: today.start, lt: today.end } } }),
    db.callbackRequest.count({ where: { status: { in: OPEN }, dueAt: { lt: now } } }),
    db.callbackRequest.count({ where: { status: { in: OPEN }, flaggedAt: { not: null } } }),
    db.callbackRequest.findMany({
      where: { status: { in: OPEN }, dueAt: { lt: now } },
      orderBy: [{ dueAt: "asc" }, { priority: "desc" }],
      take: OVERDUE_LIST,
      select: { reference: true, source: true, dueAt: true, status: true },
    }),
  ]);

  const channelRows = await db.application.groupBy({ by: ["channel"], where: { submittedAt: { gte: since } }, _count: { _all: true } });
  const channelCounts = new Map(channelRows.map((r) => [r.channel, r._count._all]));
  const byChannel = CHANNELS.map((channel) => ({ channel, count: channelCounts.get(channel) ?? 0 }));

  const decided = await db.application.findMany({ where: { decidedAt: { gte: since, lte: now } }, select: { submittedAt: true, decidedAt: true } });
  const days = decided.flatMap((a) => (a.decidedAt ? [(a.decidedAt.getTime() - a.submittedAt.getTime()) / DAY_MS] : []));
  const mid = median(days);

  // First call per call-back: attempts in the window cover every call-back created in it.
  const firstCalls = await db.callAttempt.groupBy({ by: ["callbackId"], where: { at: { gte: since } }, _min: { at: true } });
  const firstAt = new Map(firstCalls.map((r) => [r.callbackId, r._min.at]));
  const recent = await db.callbackRequest.findMany({ where: { createdAt: { gte: since }, status: { not: "cancelled" } }, select: { id: true, dueAt: true } });
  let onTime = 0;
  let total = 0;
  for (const cb of recent) {
    const first = firstAt.get(cb.id) ?? null;
    // Not yet due and not yet called: too early to say either way.
    if (!first && cb.dueAt.getTime() > now.getTime()) continue;
    total++;
    if (first && first.getTime() <= cb.dueAt.getTime()) onTime++;
  }

  const funnel = funnelRows(await journeyStepCounts(db, CHECK_JOURNEY, since));

  return {
    queue: { open: queued + claimed, queued, claimed, dueToday, overdue, flagged },
    overdueItems: overdueRows,
    byChannel,
    medianDaysToDecision: mid === null ? null : Math.round(mid * 10) / 10,
    decisions: days.length,
    callbacksOnTime: { onTime, total, percent: total > 0 ? Math.round((onTime / total) * 100) : null },
    funnel,
  };
}
