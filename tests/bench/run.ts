// `npm run bench` (after the build): runs each benchmark and prints one JSON
// object per line on standard output, with `name`, `unit`, `value` and the
// figures it compares. Progress goes to standard error. Several minutes in all.
// BENCH_PROFILE_DIR=<dir> also writes CPU profiles of both servers (tests/bench/servers.ts).
// Each line is also appended to bench-results/history.jsonl (BENCH_HISTORY=<file>
// elsewhere) and printed with `previous`: the last earlier run's figures (history.ts).
//   assessment_throughput  in-process assessHousehold over a realistic mix
//   eligibility_api        POST /api/v1/eligibility on the real server vs a bare node:http server (load.ts)
//   ssr_start_page, ssr_check_start
//                          GET / and /check on the real server vs a bare server sending the same bytes (ssr.ts)
//   page_weight            gzipped HTML + CSS of / and every /check page of a typical journey
//   evidence_upload        10 MB documents to the Partner API evidence upload; the server's memory meanwhile
//   application_submit     POST /api/v1/applications, 16 concurrent partners, distinct applicants
//                          (these two on a second real server in demo mode: tests/bench/applications.ts)
//   eligibility_api_sqlite_vs_postgres, eligibility_api_two_instances
//                          issue 8 (BENCH_ONLY=postgres): the eligibility API on one SQLite instance, one
//                          PostgreSQL instance and two on one PostgreSQL; needs LIFELINE_BENCH_POSTGRES_URL
//                          (tests/bench/instances.ts), else one line says it was skipped
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { assessHousehold, type Household } from "~/domain/eligibility";
import { eligibilityResponse } from "~/domain/validation/eligibility-api";
import { fixedT } from "~/services/i18n.server";
import { applicationSubmit, evidenceUpload } from "./applications";
import { History } from "./history";
import { generateHouseholds } from "./households";
import { CONNECTIONS, LOAD_NOTE, compareUnderLoad, type LoadRequest } from "./load";
import { PAGE_BUDGET_BYTES, walkJourney } from "../support/page-weight";
import { startAppServer, startBareServer, type RunningServer } from "./servers";
import { ssrThroughput } from "./ssr";
import { staffQueue } from "./staff-queue";

const AS_OF = "2026-06-01";
const THROUGHPUT_TARGET = 50_000;
// issue 7: the eligibility API at least two thirds of a bare server running the same assessment
const RATIO_TARGET = 2 / 3;

// Figures depend on what else the machine is doing: each line says how busy it was.
const machine = () => ({ cpus: os.cpus().length, loadAverage1m: round(os.loadavg()[0]) });
const history = new History();
// Printed with the last earlier run's figures beside them, and appended to the history file.
const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(history.record({ ...line, machine: machine() }))}\n`);
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

async function sameAnswer(app: RunningServer, bare: RunningServer, body: string): Promise<boolean> {
  const ask = async (server: RunningServer) => {
    const response = await fetch(`${server.url}/api/v1/eligibility`, {
      method: "POST",
      headers: { "content-type": "application/json", "accept-language": "zh-CN" },
      body,
    });
    return `${response.status} ${response.headers.get("content-type")} ${response.headers.get("cache-control")} ${await response.text()}`;
  };
  const [a, b] = await Promise.all([ask(app), ask(bare)]);
  return a === b && a.startsWith("200 ");
}

async function eligibilityApi(app: RunningServer, bare: RunningServer) {
  const example = JSON.parse(fs.readFileSync(path.resolve("../shared/policy/examples.json"), "utf8"))[0];
  const body = JSON.stringify({ asOf: example.asOf, household: example.household });
  const identical = await sameAnswer(app, bare, body);
  const request: LoadRequest = {
    path: "/api/v1/eligibility",
    method: "POST",
    headers: { "content-type": "application/json", "accept-language": "zh-CN" },
    body,
  };
  progress(`eligibility_api: 2 × 10 s, ${CONNECTIONS} connections`);
  const comparison = await compareUnderLoad(app, bare, request);
  emit({
    name: "eligibility_api",
    unit: "requests/s",
    value: comparison.app.requestsPerSecond,
    ...comparison,
    target: Number(RATIO_TARGET.toFixed(3)),
    meetsTarget: comparison.ratio >= RATIO_TARGET && comparison.clean && identical,
    sameAnswer: identical,
    bodyBytes: Buffer.byteLength(body),
    note: `like with like: the bare server (tests/bench/bare-server.ts) reads the body, validates it with the same zod schema, assesses, explains every reason with the same code and sends the same JSON with the same headers (security headers included); neither compresses (the load sends no Accept-Encoding). ${LOAD_NOTE}`,
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
    "ssr",
    async () => {
      progress("starting the app server for ssr (the bare server starts with the captured pages)");
      const app = await startAppServer();
      try {
        for (const line of await ssrThroughput(app, progress)) emit(line);
      } finally {
        await app.stop();
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
  // issue 8: the eligibility API on SQLite and PostgreSQL, one and two instances (LIFELINE_BENCH_POSTGRES_URL)
  ["postgres", async () => (await (await import("./instances")).instanceBenches(progress)).forEach((line) => emit(line))],
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
