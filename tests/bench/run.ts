// `npm run bench` (after the build): runs each benchmark and prints one JSON
// object per line on standard output, with `name`, `unit`, `value` and the
// figures it compares. Progress goes to standard error. About a minute in all.
// BENCH_PROFILE_DIR=<dir> also writes CPU profiles of both servers (tests/bench/servers.ts).
//   assessment_throughput  in-process assessHousehold over a realistic mix
//   eligibility_api        POST /api/v1/eligibility on the real server vs a bare node:http server
//   page_weight            gzipped HTML + CSS of / and every /check page of a typical journey
//   evidence_upload        10 MB documents to the Partner API evidence upload; the server's memory meanwhile
//   application_submit     POST /api/v1/applications, 16 concurrent partners, distinct applicants
//                          (these two on a second real server in demo mode: tests/bench/applications.ts)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { assessHousehold, type Household } from "~/domain/eligibility";
import { eligibilityResponse } from "~/domain/validation/eligibility-api";
import { fixedT } from "~/services/i18n.server";
import { applicationSubmit, evidenceUpload } from "./applications";
import { generateHouseholds } from "./households";
import { PAGE_BUDGET_BYTES, walkJourney } from "./page-weight";
import { startAppServer, startBareServer, type RunningServer } from "./servers";
import { staffQueue } from "./staff-queue";

const AS_OF = "2026-06-01";
const THROUGHPUT_TARGET = 50_000;
const RATIO_TARGET = 0.5;
const CONNECTIONS = 32;
const DURATION_S = 10;
const WARMUP_S = 2;

// Figures depend on what else the machine is doing: each line says how busy it was.
const machine = () => ({ cpus: os.cpus().length, loadAverage1m: round(os.loadavg()[0]) });
const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ ...line, machine: machine() })}\n`);
const progress = (text: string) => process.stderr.write(`bench: ${text}\n`);
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** Runs fn over the households for about `seconds`, returning households per second. */
function rate(households: Household[], seconds: number, fn: (h: Household) => unknown): number {
  let done = 0;
  const start = process.hrtime.bigint();
  const until = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < until) {
    // look at the clock every 50 households: cheap, and slow work cannot overrun by much
    for (let i = 0; i < 50; i++) fn(households[done++ % households.length]);
    now = process.hrtime.bigint();
  }
  return done / (Number(now - start) / 1e9);
}

function assessmentThroughput() {
  const households = generateHouseholds(4000);
  const t = fixedT("zh-CN", ["rules"]);
  rate(households, 1, (h) => assessHousehold(h, AS_OF)); // warm-up: let the JIT settle
  const perSecond = rate(households, 3, (h) => assessHousehold(h, AS_OF));
  const withExplanations = rate(households, 2, (h) => eligibilityResponse(assessHousehold(h, AS_OF), t));
  const outcomes: Record<string, number> = {};
  for (const h of households) {
    for (const r of assessHousehold(h, AS_OF).results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  }
  emit({
    name: "assessment_throughput",
    unit: "households/s",
    value: Math.round(perSecond),
    target: THROUGHPUT_TARGET,
    meetsTarget: perSecond >= THROUGHPUT_TARGET,
    households: households.length,
    asOf: AS_OF,
    withExplanationsPerSecond: Math.round(withExplanations),
    outcomeMix: outcomes,
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface LoadFigures {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** Every response of a server's load rounds, added up. */
class LoadTally {
  private latencies = new Float64Array(1 << 16);
  private count = 0;
  requests = 0;
  seconds = 0;
  errors = 0;
  timeouts = 0;
  non2xx = 0;

  record(ms: number) {
    if (this.count === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.count++] = ms;
  }

  figures(): LoadFigures {
    const sorted = this.latencies.slice(0, this.count).sort();
    return {
      requestsPerSecond: round(this.requests / this.seconds, 1),
      requests: this.requests,
      p50Ms: round(percentile(sorted, 50)),
      p95Ms: round(percentile(sorted, 95)),
      p99Ms: round(percentile(sorted, 99)),
      errors: this.errors,
      timeouts: this.timeouts,
      non2xx: this.non2xx,
    };
  }
}

function loadOptions(url: string, body: string) {
  return {
    url: `${url}/api/v1/eligibility`,
    method: "POST",
    headers: { "content-type": "application/json", "accept-language": "zh-CN" },
    body,
    connections: CONNECTIONS,
  };
}

/** One round of load; latency from every response autocannon reports (its own histogram has no p95). */
async function loadRound(url: string, body: string, seconds: number, tally: LoadTally): Promise<void> {
  const instance = autocannon({ ...loadOptions(url, body), duration: seconds });
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => tally.record(responseTime));
  const result = await instance;
  tally.requests += result.requests.total;
  tally.seconds += result.duration || seconds;
  tally.errors += result.errors;
  tally.timeouts += result.timeouts;
  tally.non2xx += result.non2xx;
}

async function sameAnswer(app: RunningServer, bare: RunningServer, body: string): Promise<boolean> {
  const ask = async (server: RunningServer) => {
    const response = await fetch(`${server.url}/api/v1/eligibility`, {
      method: "POST",
      headers: { "content-type": "application/json", "accept-language": "zh-CN" },
      body,
    });
    return `${response.status} ${await response.text()}`;
  };
  const [a, b] = await Promise.all([ask(app), ask(bare)]);
  return a === b && a.startsWith("200 ");
}

async function eligibilityApi(app: RunningServer, bare: RunningServer) {
  const example = JSON.parse(fs.readFileSync(path.resolve("../shared/policy/examples.json"), "utf8"))[0];
  const body = JSON.stringify({ asOf: example.asOf, household: example.household });
  const identical = await sameAnswer(app, bare, body);
  for (const server of [app, bare]) await autocannon({ ...loadOptions(server.url, body), duration: WARMUP_S });
  // 10 s each, in 2 s rounds taking turns (app, bare, bare, app, …): a change in
  // the machine's load during the run weighs on both alike. Whole seconds, because
  // autocannon stops on its one-second tick.
  const tallies = new Map([[app, new LoadTally()], [bare, new LoadTally()]]);
  const order = [app, bare, bare, app, app, bare, bare, app, app, bare];
  const roundSeconds = (DURATION_S * 2) / order.length;
  progress(`eligibility_api: ${order.length} rounds of ${roundSeconds} s, ${CONNECTIONS} connections`);
  for (const server of order) await loadRound(server.url, body, roundSeconds, tallies.get(server)!);
  const appFigures = tallies.get(app)!.figures();
  const bareFigures = tallies.get(bare)!.figures();
  const ratio = appFigures.requestsPerSecond / bareFigures.requestsPerSecond;
  emit({
    name: "eligibility_api",
    unit: "requests/s",
    value: appFigures.requestsPerSecond,
    app: appFigures,
    bare: bareFigures,
    ratio: round(ratio, 3),
    target: RATIO_TARGET,
    meetsTarget: ratio >= RATIO_TARGET && appFigures.errors === 0 && appFigures.non2xx === 0,
    sameAnswer: identical,
    connections: CONNECTIONS,
    durationSeconds: DURATION_S,
    bodyBytes: Buffer.byteLength(body),
    note: "10 s per server in 2 s rounds taking turns (app, bare, bare, app, app, bare, bare, app, app, bare) after a 2 s warm-up; p50/p95/p99 from every response time autocannon reported; both servers in child processes, autocannon in the bench process",
  });
}

async function pageWeight(app: RunningServer) {
  const walks = [await walkJourney(app.url, "zh-CN"), await walkJourney(app.url, "en")];
  const pages = walks.flatMap((w) => w.pages.map((p) => ({ language: w.language, ...p })));
  const heaviest = pages.reduce((a, b) => (b.totalGzip > a.totalGzip ? b : a), pages[0]);
  const reached = walks.every((w) => w.reachedAnswers);
  emit({
    name: "page_weight",
    unit: "bytes (gzip, HTML + CSS)",
    value: heaviest?.totalGzip ?? 0,
    target: PAGE_BUDGET_BYTES,
    meetsTarget: reached && pages.every((p) => p.totalGzip <= PAGE_BUDGET_BYTES),
    heaviestPage: heaviest ? `${heaviest.path} (${heaviest.language})` : null,
    pagesWeighed: pages.length,
    maxJsGzip: Math.max(0, ...pages.map((p) => p.jsGzip)),
    // The walk used only links and plain form posts with a cookie, like a browser with scripts off.
    completedWithoutJavaScript: reached,
    problems: walks.filter((w) => w.problem).map((w) => `${w.language}: ${w.problem}`),
    pages,
  });
}

/**
 * The benchmark groups, in order. BENCH_ONLY=name,name runs only those
 * (e.g. BENCH_ONLY=submit,bot npm run bench) when working on one figure.
 */
const GROUPS: Array<[string, () => Promise<void>]> = [
  ["assessment", async () => assessmentThroughput()],
  [
    "api",
    async () => {
      progress("starting the app server and the bare server");
      const [app, bare] = await Promise.all([startAppServer(), startBareServer()]);
      try {
        progress("page_weight");
        await pageWeight(app);
        await eligibilityApi(app, bare);
      } finally {
        await Promise.all([app.stop(), bare.stop()]);
      }
    },
  ],
  [
    "submit",
    async () => {
      progress("starting the app server in demo mode; evidence_upload");
      const demo = await startAppServer({ demo: true });
      try {
        emit(await evidenceUpload(demo));
        progress("application_submit");
        emit(await applicationSubmit(demo));
      } finally {
        await demo.stop();
      }
    },
  ],
  // issue 5: /staff/callbacks with 20,000 queued call-backs
  ["queue", async () => void emit(await staffQueue(progress))],
  // issue 4: bot turn in process, SMS webhook with 32 senders
  ["bot", async () => (await (await import("./bot")).botBenches(progress)).forEach((line) => emit(line))],
  // issue 6: 1,000,000-row screening vs plain read-and-split; 100,000-lead import
  ["outreach", async () => (await (await import("./outreach")).outreachBenchmarks(progress)).forEach((line) => emit(line))],
  // issue 5: GET /staff/cases with 100,000 cases
  ["cases", async () => void emit(await (await import("./staff-cases")).staffCasesList(progress))],
];

async function main() {
  const started = Date.now();
  const only = (process.env.BENCH_ONLY ?? "").split(",").map((name) => name.trim()).filter(Boolean);
  for (const [name, run] of GROUPS) {
    if (only.length > 0 && !only.includes(name)) continue;
    progress(`${name} (after ${Math.round((Date.now() - started) / 1000)} s)`);
    await run();
  }
  progress(`done in ${Math.round((Date.now() - started) / 1000)} s`);
}

main().catch((error: unknown) => {
  console.error("bench failed:", error instanceof Error ? error.stack : error);
  process.exit(1);
});
