// Issue 5's call-back queue benchmark: 20,000 queued call-backs seeded (due
// times spread over the last week and the next two, a realistic mix of
// urgent, 70+ and earlier missed calls) into the bench server's own database
// with createMany in chunks, then GET /staff/callbacks as a signed-in
// caseworker under load with autocannon: page 1, a late page (200 of 400) and
// the overdue filter. Target: p95 under 100 ms for each at a steady 40 requests
// a second; the most it can serve (8 clients, no pause) is reported beside it.
//
// The server is a child process (tests/bench/servers.ts) with a throwaway
// database; the caseworker signs in through the real login form, so the
// cookie is signed by the server's own secret.
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { queuePriority } from "~/domain/callback";
import { PrismaClient } from "~/generated/prisma/client";
import { hashPassword } from "~/services/password.server";
import { SATURATION_CONNECTIONS, STEADY_RATE, measurePages } from "./page-load";
import { startAppServer, type RunningServer } from "./servers";

const CALLBACKS = 20_000;
const CHUNK = 5_000;
const TARGET_P95_MS = 100;
const SECONDS = 8;
const WARMUP_SECONDS = 2;
const USERNAME = "bench-queue-caseworker";
const PASSWORD = "bench-queue-caseworker-password-1";
const SOURCES = ["web_request", "web_abandoned", "chat", "sms", "eligibility_review", "upload_failed"];
const HOUR = 3600_000;

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function referenceOf(n: number): string {
  // Bench-only references (CB- and 8 digits): unique, and never a real one (digits are not in the alphabet).
  const digits = String(n).padStart(8, "0");
  return `CB-${digits.slice(0, 4)}-${digits.slice(4)}`;
}

export async function seed(file: string): Promise<{ seconds: number; overdue: number }> {
  const started = Date.now();
  const db = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}`, timeout: 30_000 }) });
  const next = random(20261129);
  const now = Date.now();
  let overdue = 0;
  try {
    for (let from = 0; from < CALLBACKS; from += CHUNK) {
      const data = Array.from({ length: Math.min(CHUNK, CALLBACKS - from) }, (_, i) => {
        const n = from + i;
        const urgent = next() < 0.1;
        const oldestAge = next() < 0.3 ? 70 + Math.floor(next() * 25) : null;
        const failedAttempts = next() < 0.15 ? 1 + Math.floor(next() * 2) : 0;
        const dueAt = new Date(now + Math.floor((next() * 21 - 7) * 24 * HOUR));
        if (dueAt.getTime() < now) overdue++;
        const createdAt = new Date(dueAt.getTime() - 24 * HOUR);
        return {
          reference: referenceOf(n),
          phone: `+86138${String(n).padStart(8, "0")}`,
          language: next() < 0.85 ? "zh-CN" : "en",
          source: SOURCES[Math.floor(next() * SOURCES.length)],
          context: "{}",
          urgent,
          oldestAge,
          failedAttempts,
          priority: queuePriority({ urgent, oldestAge, failedAttempts }),
          status: "queued",
          dueAt,
          createdAt,
        };
      });
      await db.callbackRequest.createMany({ data });
    }
    await db.staffUser.upsert({
      where: { username: USERNAME },
      update: {},
      create: { username: USERNAME, displayName: "Bench queue caseworker", role: "caseworker", passwordHash: await hashPassword(PASSWORD) },
    });
    // Fresh statistics for the query planner, as a long-running database would have.
    await db.$executeRawUnsafe("ANALYZE");
    // Copy the seeded rows from the write-ahead log into the database file, as SQLite does
    // on its own over time: otherwise the first measured requests pay for the big checkpoint.
    await db.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    await db.$disconnect();
  }
  return { seconds: round((Date.now() - started) / 1000, 1), overdue };
}

async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/staff/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: USERNAME, password: PASSWORD, next: "/staff/callbacks" }),
    redirect: "manual",
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (response.status !== 303 || !cookie) throw new Error(`staff_queue: sign-in failed (${response.status})`);
  return cookie;
}



function newRunDirectory(before: Set<string>): string {
  const root = path.resolve("data", "bench");
  const made = fs.readdirSync(root).filter((d) => d.startsWith("run-") && !before.has(d));
  if (made.length !== 1) throw new Error(`staff_queue: expected one new bench database, found ${made.length}`);
  return path.join(root, made[0]);
}

export async function staffQueue(progress: (text: string) => void = () => undefined): Promise<Record<string, unknown>> {
  const root = path.resolve("data", "bench");
  fs.mkdirSync(root, { recursive: true });
  const before = new Set(fs.readdirSync(root));
  const server: RunningServer = await startAppServer();
  try {
    const file = path.join(newRunDirectory(before), "app.db");
    progress(`staff_queue: seeding ${CALLBACKS} call-backs`);
    const seeded = await seed(file);
    const cookie = await signIn(server.url);
    const pages = {
      page1: `${server.url}/staff/callbacks`,
      page200: `${server.url}/staff/callbacks?page=200`,
      overdue: `${server.url}/staff/callbacks?filter=overdue`,
    };
    const check = await fetch(pages.page200, { headers: { cookie } });
    const html = await check.text();
    if (check.status !== 200 || !html.includes("CB-")) throw new Error(`staff_queue: the queue did not answer with call-backs (${check.status})`);
    const measured = await measurePages(pages, cookie, SECONDS, WARMUP_SECONDS, (name) => progress(`staff_queue: ${name}`));
    return {
      name: "staff_queue",
      unit: `ms (p95 at ${STEADY_RATE} requests/s, worst of the three)`,
      value: measured.worstSteadyP95Ms,
      target: TARGET_P95_MS,
      meetsTarget: measured.worstSteadyP95Ms < TARGET_P95_MS && measured.clean,
      callbacks: CALLBACKS,
      overdueSeeded: seeded.overdue,
      seededInSeconds: seeded.seconds,
      steadyRequestsPerSecond: STEADY_RATE,
      saturationConnections: SATURATION_CONNECTIONS,
      saturationWorstP95Ms: measured.worstSaturationP95Ms,
      durationSeconds: SECONDS,
      ...measured.figures,
      note: "GET /staff/callbacks as a signed-in caseworker (each request also moves the session's idle limit and appends an audit entry): page 1, ?page=200, ?filter=overdue; each after a 2 s warm-up, first at a steady rate (the target), then as fast as 8 clients can (saturation); see tests/bench/page-load.ts",
    };
  } finally {
    await server.stop();
  }
}

// For a quick run on its own: npx tsx tests/bench/staff-queue.ts
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve("tests/bench/staff-queue.ts")) {
  staffQueue((text) => process.stderr.write(`bench: ${text}\n`))
    .then((line) => process.stdout.write(`${JSON.stringify(line)}\n`))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
