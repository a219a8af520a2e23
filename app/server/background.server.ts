// What runs beside the web server: connection settings and seed at start, the
// outbox worker, and a sweep for abandoned applications and old tracking codes.
// It lives in the server bundle (exported from entry.server.tsx) so the routes
// and this code share ONE Prisma client: two SQLite connections in one process
// can stall each other, because better-sqlite3 waits for a lock synchronously.
import { seedDatabase } from "../../prisma/seed";
import { queueAbandonedDraftCallbacks } from "~/models/application-draft.server";
import { purgeTrackingCodes } from "~/models/one-time-code.server";
import { db, prepareDatabase } from "~/services/db.server";
import { startOutboxWorker } from "~/services/outbox.server";

export interface Background {
  stop(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 10 * 60_000;

export async function startBackground({ demo }: { demo: boolean }): Promise<Background> {
  await prepareDatabase();
  await seedDatabase(db, { demo });
  const outbox = startOutboxWorker(db, { intervalMs: 2000 });
  // Unfinished applications whose owner agreed to be called: queue the call (ABANDONED_DRAFT_HOURS, default 24).
  const abandonedHours = Number(process.env.ABANDONED_DRAFT_HOURS) > 0 ? Number(process.env.ABANDONED_DRAFT_HOURS) : 24;
  const abandoned = setInterval(() => {
    const now = new Date();
    queueAbandonedDraftCallbacks(db, now, { afterHours: abandonedHours }).catch((error: unknown) => {
      console.error("Queueing call-backs for unfinished applications failed:", error instanceof Error ? error.message : error);
    });
    // Used and expired tracking codes (and per-IP counts) older than a day.
    purgeTrackingCodes(db, now).catch((error: unknown) => {
      console.error("Purging old tracking codes failed:", error instanceof Error ? error.message : error);
    });
  }, SWEEP_INTERVAL_MS);
  abandoned.unref();
  return {
    async stop() {
      clearInterval(abandoned);
      await outbox.stop();
      await db.$disconnect();
    },
  };
}
