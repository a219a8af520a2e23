// Issue 8's bench ("postgres" group): the eligibility API (POST
// /api/v1/eligibility, the body of the "api" group, 32 connections) on one app
// instance on SQLite, one instance on PostgreSQL and two instances on one
// PostgreSQL database, side by side. Needs LIFELINE_BENCH_POSTGRES_URL, an
// admin URL of a PostgreSQL server (e.g. postgresql://postgres@127.0.0.1:55432/postgres):
// a throwaway database is made there for the run, migrated, and dropped at the
// end. Without it the group prints one line saying it was skipped and why.
//
// Every instance is the real server (app/server/main.ts, production mode) in
// its own process, started by tests/support/app-server.ts. Two instances are
// loaded through autocannon's own round-robin: it is given both URLs and opens
// its 32 connections alternately to each (16 and 16), as a load balancer with
// keep-alive connections would spread them; no proxy sits in between.
// The three set-ups take turns in 2 s rounds (ABC CBA ABC CBA ABC, 10 s each
// after a 2 s warm-up), so a change in the machine's load weighs on all alike.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { migrateDatabase } from "~/services/migrate.server";
import { startServerProcess, type ServerProcess } from "../support/app-server";
import { adminQuery, withDatabase } from "../support/postgres";
import { CONNECTIONS } from "./load";
import { cpuMs } from "./servers";

const ROUND_SECONDS = 2;
const ROUNDS_EACH = 5;
const WARMUP_SECONDS = 2;
const round = (x: number, digits = 2) => Number(x.toFixed(digits));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Setup {
  label: string;
  servers: ServerProcess[];
}

interface Tally {
  latencies: number[];
  requests: number;
  sent: number;
  seconds: number;
  cpuMs: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

export interface InstanceFigures {
  instances: number;
  database: "sqlite" | "postgresql";
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** CPU time (user + system) of all the set-up's server processes per request sent; PostgreSQL's own processes not included */
  cpuUsPerRequest: number | null;
  errors: number;
  timeouts: number;
  non2xx: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const setupCpu = (setup: Setup) => setup.servers.reduce((sum, s) => sum + cpuMs(s.child.pid ?? 0), 0);

/** Until the set-up's processes use no more CPU (the last requests of a round answered). */
async function quiet(setup: Setup): Promise<void> {
  let last = setupCpu(setup);
  for (let i = 0; i < 40; i++) {
    await sleep(50);
    const now = setupCpu(setup);
    if (now === last) return;
    last = now;
  }
}

interface BenchRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

function load(setup: Setup, request: BenchRequest, seconds: number) {
  const urls = setup.servers.map((s) => `${s.baseURL}${request.path}`);
  return autocannon({
    // Several URLs: connection i goes to urls[i % n] (autocannon's round-robin;
    // autocannon takes an array here, which tests/bench/autocannon.d.ts does not declare).
    url: (urls.length === 1 ? urls[0] : urls) as unknown as string,
    method: "POST",
    headers: request.headers,
    body: request.body,
    connections: CONNECTIONS,
    duration: seconds,
  });
}

async function loadRound(setup: Setup, request: BenchRequest, tally: Tally): Promise<void> {
  await quiet(setup);
  const before = setupCpu(setup);
  const instance = load(setup, request, ROUND_SECONDS);
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => tally.latencies.push(responseTime));
  const result = await instance;
  await quiet(setup);
  tally.cpuMs += setupCpu(setup) - before;
  tally.sent += result.requests.sent;
  tally.requests += result.requests.total;
  tally.seconds += result.duration || ROUND_SECONDS;
  tally.errors += result.errors;
  tally.timeouts += result.timeouts;
  tally.non2xx += result.non2xx;
}

function figures(setup: Setup, database: InstanceFigures["database"], tally: Tally): InstanceFigures {
  const sorted = [...tally.latencies].sort((a, b) => a - b);
  return {
    instances: setup.servers.length,
    database,
    requestsPerSecond: round(tally.requests / tally.seconds, 1),
    requests: tally.requests,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    cpuUsPerRequest: Number.isFinite(tally.cpuMs) && tally.sent > 0 ? Math.round((tally.cpuMs * 1000) / tally.sent) : null,
    errors: tally.errors,
    timeouts: tally.timeouts,
    non2xx: tally.non2xx,
  };
}

/** The same answer from every server (status, type and body). */
async function sameAnswers(servers: ServerProcess[], request: BenchRequest): Promise<boolean> {
  const answers = await Promise.all(
    servers.map(async (s) => {
      const response = await fetch(`${s.baseURL}${request.path}`, { method: "POST", headers: request.headers, body: request.body });
      return `${response.status} ${response.headers.get("content-type")} ${await response.text()}`;
    }),
  );
  return answers.every((a) => a === answers[0]) && answers[0].startsWith("200 ");
}

const NOTE =
  "POST /api/v1/eligibility with the api group's body (the first example of shared/policy/examples.json), 32 connections; each set-up 10 s in 2 s rounds taking turns (ABC CBA ABC CBA ABC) after a 2 s warm-up; every instance the real server (app/server/main.ts, NODE_ENV=production) in its own process; two instances: autocannon given both URLs opens its connections alternately to each (16 + 16, round-robin by connection, no proxy); cpuUsPerRequest sums the set-up's server processes (/proc) over the requests sent, PostgreSQL's own processes not counted; the eligibility API reads and writes no table, so SQLite against PostgreSQL shows what the database choice costs the process (client, pool, background workers), and two instances against one what a second process buys on this machine (autocannon and PostgreSQL share its cores). Needs LIFELINE_BENCH_POSTGRES_URL (an admin URL; a throwaway database is made and dropped).";

export async function instanceBenches(progress: (text: string) => void = () => undefined): Promise<Array<Record<string, unknown>>> {
  const adminUrl = process.env.LIFELINE_BENCH_POSTGRES_URL;
  if (!adminUrl) {
    return [
      {
        name: "eligibility_api_instances",
        unit: "requests/s",
        value: null,
        skipped: true,
        note: "skipped: LIFELINE_BENCH_POSTGRES_URL is not set. Set it to a PostgreSQL admin URL (e.g. postgresql://postgres@127.0.0.1:55432/postgres) to compare the eligibility API on SQLite and PostgreSQL, with one and two instances.",
      },
    ];
  }
  const example = JSON.parse(fs.readFileSync(path.resolve("../shared/policy/examples.json"), "utf8"))[0];
  const request: BenchRequest = {
    path: "/api/v1/eligibility",
    headers: { "content-type": "application/json", "accept-language": "zh-CN" },
    body: JSON.stringify({ asOf: example.asOf, household: example.household }),
  };
  const run = `run-${crypto.randomBytes(4).toString("hex")}`;
  const dir = path.resolve("data", "bench", run);
  const database = `lifeline_bench_${run.slice(4)}`;
  const postgresUrl = withDatabase(adminUrl, database);
  const env = (extra: Record<string, string>) => ({
    NODE_ENV: "production",
    DEMO: "0",
    SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
    STAFF_API_TOKEN: "",
    ...extra,
  });
  const started: ServerProcess[] = [];
  const start = async (name: string, extra: Record<string, string> = {}) => {
    const server = await startServerProcess({ dataDir: path.join(dir, name), keepLines: 200, startTimeoutMs: 300_000, env: env(extra) });
    started.push(server);
    return server;
  };
  await adminQuery(adminUrl, `CREATE DATABASE "${database}"`);
  try {
    await migrateDatabase(postgresUrl);
    progress("postgres: starting one SQLite instance, one PostgreSQL instance and two more on one PostgreSQL database");
    const sqliteOne: Setup = { label: "sqlite×1", servers: [await start("sqlite")] };
    const postgresOne: Setup = { label: "postgresql×1", servers: [await start("pg-a", { DATABASE_URL: postgresUrl })] };
    const postgresTwo: Setup = { label: "postgresql×2", servers: [await start("pg-b", { DATABASE_URL: postgresUrl }), await start("pg-c", { DATABASE_URL: postgresUrl })] };
    const setups = [sqliteOne, postgresOne, postgresTwo];
    const identical = await sameAnswers(started, request);
    for (const setup of setups) await load(setup, request, WARMUP_SECONDS);
    const tallies = new Map<Setup, Tally>(setups.map((s) => [s, { latencies: [], requests: 0, sent: 0, seconds: 0, cpuMs: 0, errors: 0, timeouts: 0, non2xx: 0 }]));
    const order: Setup[] = [];
    for (let r = 0; r < ROUNDS_EACH; r++) order.push(...(r % 2 === 0 ? setups : [...setups].reverse()));
    progress(`postgres: ${order.length} rounds of ${ROUND_SECONDS} s, ${CONNECTIONS} connections`);
    for (const setup of order) await loadRound(setup, request, tallies.get(setup)!);
    const [sqlite, pgOne, pgTwo] = [figures(sqliteOne, "sqlite", tallies.get(sqliteOne)!), figures(postgresOne, "postgresql", tallies.get(postgresOne)!), figures(postgresTwo, "postgresql", tallies.get(postgresTwo)!)];
    const clean = [sqlite, pgOne, pgTwo].every((f) => f.errors === 0 && f.timeouts === 0 && f.non2xx === 0);
    const machine = { cpus: os.cpus().length };
    return [
      {
        name: "eligibility_api_sqlite_vs_postgres",
        unit: "ratio (PostgreSQL ÷ SQLite requests/s, one instance each)",
        value: round(pgOne.requestsPerSecond / sqlite.requestsPerSecond, 3),
        sqlite,
        postgresql: pgOne,
        cpuRatio: sqlite.cpuUsPerRequest && pgOne.cpuUsPerRequest ? round(sqlite.cpuUsPerRequest / pgOne.cpuUsPerRequest, 3) : null,
        sameAnswer: identical,
        clean,
        connections: CONNECTIONS,
        cores: machine.cpus,
        note: NOTE,
      },
      {
        name: "eligibility_api_two_instances",
        unit: "ratio (two ÷ one instance requests/s, PostgreSQL)",
        value: round(pgTwo.requestsPerSecond / pgOne.requestsPerSecond, 3),
        oneInstance: pgOne,
        twoInstances: pgTwo,
        cpuRatio: pgOne.cpuUsPerRequest && pgTwo.cpuUsPerRequest ? round(pgOne.cpuUsPerRequest / pgTwo.cpuUsPerRequest, 3) : null,
        sameAnswer: identical,
        clean,
        connections: CONNECTIONS,
        cores: machine.cpus,
        note: NOTE,
      },
    ];
  } finally {
    await Promise.all(started.map((s) => s.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
  }
}
