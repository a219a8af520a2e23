// What runs beside the web server: connection settings and seed at start, the
// outbox worker, and a sweep for abandoned applications and old tracking codes.
// It lives in the server bundle (exported from entry.server.tsx) so the routes
// and this code share ONE Prisma client: two SQLite connections in one process
// can stall each other, because better-sqlite3 waits for a lock synchronously.
import { seedDatabase } from "../../prisma/seed";
import { queueAbandonedDraftCallbacks } from "~/models/application-draft.server";
import { purgeTrackingCodes } from "~/models/one-time-code.server";
import { purgeLoginFailures } from "~/models/staff.server";
import { activateEndedNotices } from "~/models/notice.server";
import { purgeStaffSessions } from "~/services/staff-session.server";
import { db, prepareDatabase } from "~/services/db.server";
import { startOutboxWorker } from "~/services/outbox.server";
import { runFollowUps } from "~/services/follow-up.server";
import { purgeRateLimitCounters } from "~/services/rate-limit.server";
import { startRetentionSchedule } from "~/services/retention.server";
import { config } from "~/services/config.server";
import { senderFromConfig } from "~/services/sms-sender.server";
import { getBot } from "../../bot/controller";
import { optOutAwareSender } from "../../bot/opt-out-sender";
import { purgeInboundMessages, setSmsInbox, startSmsInbox } from "../../bot/sms";

export interface Background {
  stop(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 10 * 60_000;

export async function startBackground({ demo }: { demo: boolean }): Promise<Background> {
  await prepareDatabase();
  await seedDatabase(db, { demo });
  void import("~/services/outreach-upload.server").then((m) => m.resumeOutreachUploads()).catch(() => console.error("Resuming outreach uploads failed")); // issue 6: console uploads a restart interrupted
  // Texts to phones that sent STOP / 退订 are held back (all but STOP's own confirmation).
  const outbox = startOutboxWorker(db, { intervalMs: 2000, sender: optOutAwareSender(db, senderFromConfig(config())) });
  // Text messages stored by /sms/twilio and not answered yet (e.g. before a restart), then each new one.
  const inbox = startSmsInbox(db, getBot());
  setSmsInbox(inbox);
  // ABANDONED_DRAFT_HOURS (default 24): how long an unfinished application waits before its call-back.
  const abandonedHours = Number(process.env.ABANDONED_DRAFT_HOURS) > 0 ? Number(process.env.ABANDONED_DRAFT_HOURS) : 24;
  // Each sweep job: what it is called in the log (never with personal data) and what it does.
  const sweeps: Array<[string, (now: Date) => Promise<unknown>]> = [
    // Unfinished applications whose owner agreed to be called: queue the call.
    ["Queueing call-backs for unfinished applications", (now) => queueAbandonedDraftCallbacks(db, now, { afterHours: abandonedHours })],
    // Used and expired tracking codes (and per-IP counts) older than a day.
    ["Purging old tracking codes", (now) => purgeTrackingCodes(db, now)],
    // Text message ids kept against repeated deliveries (30 days).
    ["Purging old text message ids", (now) => purgeInboundMessages(db, now)],
    // Ended and timed-out staff sessions, and old failed sign-ins.
    ["Purging old staff sessions", (now) => purgeStaffSessions(now)],
    ["Purging old failed sign-ins", (now) => purgeLoginFailures(db, now)],
    // Abuse-limit counters (app/services/abuse-limits.server.ts) of windows that ended over a day ago.
    ["Purging old rate-limit counters", (now) => purgeRateLimitCounters({ now })],
    // Public notices (公示) that ended with no open or upheld objection: the help starts.
    ["Starting help after the public notice", (now) => activateEndedNotices(db, now)],
    // Issue 9: referral follow-ups due (ask once, one reminder, then "no answer"); claims make it safe on several instances.
    ["Following up referrals", (now) => runFollowUps(db, now)],
  ];
  const abandoned = setInterval(() => {
    const now = new Date();
    for (const [what, job] of sweeps) {
      job(now).catch((error: unknown) => console.error(`${what} failed:`, error instanceof Error ? error.name : "error"));
    }
  }, SWEEP_INTERVAL_MS);
  abandoned.unref();
  // Retention (RETENTION_* settings): what is due is deleted now and then once a day.
  const retention = startRetentionSchedule();
  return {
    async stop() {
      clearInterval(abandoned);
      retention.stop();
      setSmsInbox(null);
      await inbox.stop();
      await outbox.stop();
      await db.$disconnect();
    },
  };
}
