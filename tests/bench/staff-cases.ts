// Issue 5's case-list benchmark: 100,000 applications seeded (a realistic
// spread of statuses, channels, districts, programmes and dates over two
// years) into the bench server's own database, then GET /staff/cases as a
// signed-in caseworker: no filter, a status filter, and page 40, each under
// load with autocannon. Target: p95 under 100 ms for each at a steady 40
// requests a second; the most it can serve (8 clients, no pause) is reported beside it.
//
// The server is a child process (tests/bench/servers.ts) with a throwaway
// database; the rows are written into that database file from here in
// chunks (see seed). The caseworker signs in through the real login form,
// so the cookie is signed by the server's own secret.
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import { PROGRAM_CODES } from "~/domain/eligibility";
import { PrismaClient } from "~/generated/prisma/client";
import { hashPassword } from "~/services/password.server";
import { SATURATION_CONNECTIONS, STEADY_RATE, measurePages } from "./page-load";
import { startAppServer, type RunningServer } from "./servers";

const CASES = 100_000;
const CHUNK = 5_000;
const TARGET_P95_MS = 100;
const SECONDS = 8;
const WARMUP_SECONDS = 2;
const USERNAME = "bench-caseworker";
const PASSWORD = "bench-caseworker-password-1";

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** A small deterministic generator: the same spread on every run. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function weighted<T>(next: () => number, choices: ReadonlyArray<readonly [T, number]>): T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let x = next() * total;
  for (const [value, w] of choices) {
    x -= w;
    if (x < 0) return value;
  }
  return choices[choices.length - 1][0];
}

const STATUS_MIX: ReadonlyArray<readonly [string, number]> = [
  ["submitted", 8],
  ["screening", 12],
  ["needs_information", 10],
  ["manual_review", 10],
  ["approved", 6],
  ["public_notice", 4],
  ["active", 28],
  ["rejected", 14],
  ["withdrawn", 8],
];
const CHANNEL_MIX: ReadonlyArray<readonly [string, number]> = [
  ["web", 45],
  ["chat", 8],
  ["sms", 10],
  ["staff_assisted", 15],
  ["partner", 17],
  ["outreach", 5],
];
const DISTRICTS = ["东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "通州区", "昌平区"];
const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
const RESULTS = JSON.stringify({ asOf: "2026-06-01", rulesVersion: "demo-city@2026-01-01", results: [] });
const HOUSEHOLD = JSON.stringify({ members: [{ relation: "self", age: 70, monthlyIncome: 300 }] });

function referenceOf(n: number): string {
  // Bench-only references (LA- and 8 digits): unique; digits are not in the reference alphabet, so never a real one.
  const digits = String(n).padStart(8, "0");
  return `LA-${digits.slice(0, 4)}-${digits.slice(4)}`;
}

/** Prisma's SQLite DateTime text, e.g. 2026-11-28T23:59:01.632+00:00. */
function sqliteDate(at: Date): string {
  return at.toISOString().replace("Z", "+00:00");
}

/**
 * Writes the cases straight into the server's database file in chunks of
 * CHUNK rows, one transaction each (with Prisma's createMany this took minutes
 * on a busy 2-core machine: the bench should take about a minute). The rows
 * are exactly what submitApplication stores for the columns the list reads.
 */
async function seed(file: string): Promise<{ statuses: Record<string, number>; seconds: number }> {
  const started = Date.now();
  const sqlite = new Database(file);
  sqlite.pragma("busy_timeout = 30000");
  const insert = sqlite.prepare(
    `INSERT INTO Application (id, reference, status, channel, language, applicantName, applicantIdNumber, applicantPhone, district,
       household, programs, results, rulesVersion, submittedAt, createdAt, updatedAt)
     VALUES (@id, @reference, @status, @channel, @language, @applicantName, @applicantIdNumber, @applicantPhone, @district,
       @household, @programs, @results, @rulesVersion, @submittedAt, @submittedAt, @submittedAt)`,
  );
  const next = random(20261128);
  const now = Date.now();
  const statuses: Record<string, number> = {};
  try {
    for (let from = 0; from < CASES; from += CHUNK) {
      const rows = Array.from({ length: Math.min(CHUNK, CASES - from) }, (_, i) => {
        const n = from + i;
        const status = weighted(next, STATUS_MIX);
        statuses[status] = (statuses[status] ?? 0) + 1;
        const programs = PROGRAM_CODES.filter(() => next() < 0.25);
        return {
          id: `bench${String(n).padStart(8, "0")}`,
          reference: referenceOf(n),
          status,
          channel: weighted(next, CHANNEL_MIX),
          language: next() < 0.85 ? "zh-CN" : "en",
          applicantName: `${SURNAMES[Math.floor(next() * SURNAMES.length)]}某${n % 100}`,
          applicantIdNumber: `110105194912${String(n).padStart(6, "0")}`,
          applicantPhone: `+86139${String(n).padStart(8, "0")}`,
          district: DISTRICTS[Math.floor(next() * DISTRICTS.length)],
          household: HOUSEHOLD,
          programs: JSON.stringify(programs.length > 0 ? programs : ["dibao"]),
          results: RESULTS,
          rulesVersion: "demo-city@2026-01-01",
          submittedAt: sqliteDate(new Date(now - Math.floor(next() * 730 * 24 * 3600_000))),
        };
      });
      sqlite.transaction(() => {
        for (const row of rows) insert.run(row);
      })();
    }
    // Fresh statistics for the query planner, as a long-running database would have.
    sqlite.exec("ANALYZE");
  } finally {
    sqlite.close();
  }
  const db = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}`, timeout: 30_000 }) });
  try {
    await db.staffUser.upsert({
      where: { username: USERNAME },
      update: {},
      create: { username: USERNAME, displayName: "Bench caseworker", role: "caseworker", passwordHash: await hashPassword(PASSWORD) },
    });
    // Copy the seeded rows from the write-ahead log into the database file, as SQLite does
    // on its own over time: otherwise the first measured requests pay for the big checkpoint.
    await db.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    await db.$disconnect();
  }
  return { statuses, seconds: round((Date.now() - started) / 1000, 1) };
}

async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/staff/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: USERNAME, password: PASSWORD, next: "/staff/cases" }),
    redirect: "manual",
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (response.status !== 303 || !cookie) throw new Error(`staff_cases: sign-in failed (${response.status})`);
  return cookie;
}



/** The newest bench run directory made since `before` (servers.ts names it; it is not returned). */
function newRunDirectory(before: Set<string>): string {
  const root = path.resolve("data", "bench");
  const made = fs.readdirSync(root).filter((d) => d.startsWith("run-") && !before.has(d));
  if (made.length !== 1) throw new Error(`staff_cases: expected one new bench database, found ${made.length}`);
  return path.join(root, made[0]);
}

export async function staffCasesList(progress: (text: string) => void = () => undefined): Promise<Record<string, unknown>> {
  const root = path.resolve("data", "bench");
  fs.mkdirSync(root, { recursive: true });
  const before = new Set(fs.readdirSync(root));
  const server: RunningServer = await startAppServer();
  try {
    const file = path.join(newRunDirectory(before), "app.db");
    progress(`staff_cases: seeding ${CASES} applications`);
    const seeded = await seed(file);
    const cookie = await signIn(server.url);
    const pages = {
      noFilter: `${server.url}/staff/cases`,
      statusFilter: `${server.url}/staff/cases?status=manual_review`,
      page40: `${server.url}/staff/cases?page=40`,
    };
    const check = await fetch(pages.page40, { headers: { cookie } });
    const checkHtml = await check.text();
    if (check.status !== 200 || !checkHtml.includes("LA-")) throw new Error(`staff_cases: the list did not answer with cases (${check.status})`);
    const measured = await measurePages(pages, cookie, SECONDS, WARMUP_SECONDS, (name) => progress(`staff_cases: ${name}`));
    return {
      name: "staff_cases_list",
      unit: `ms (p95 at ${STEADY_RATE} requests/s, worst of the three)`,
      value: measured.worstSteadyP95Ms,
      target: TARGET_P95_MS,
      meetsTarget: measured.worstSteadyP95Ms < TARGET_P95_MS && measured.clean,
      cases: CASES,
      seededInSeconds: seeded.seconds,
      statusMix: seeded.statuses,
      steadyRequestsPerSecond: STEADY_RATE,
      saturationConnections: SATURATION_CONNECTIONS,
      saturationWorstP95Ms: measured.worstSaturationP95Ms,
      durationSeconds: SECONDS,
      ...measured.figures,
      note: "GET /staff/cases as a signed-in caseworker (each request also moves the session's idle limit and appends an audit entry): no filter, ?status=manual_review, ?page=40; each after a 2 s warm-up, first at a steady rate (the target), then as fast as 8 clients can (saturation); see tests/bench/page-load.ts",
    };
  } finally {
    await server.stop();
  }
}

// Exported for a quick run on its own: npx tsx tests/bench/staff-cases.ts
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve("tests/bench/staff-cases.ts")) {
  staffCasesList((text) => process.stderr.write(`bench: ${text}\n`))
    .then((line) => process.stdout.write(`${JSON.stringify(line)}\n`))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
