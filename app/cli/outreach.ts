// `npm run outreach -- --input FILE.csv [--as-of YYYY-MM-DD] [--format json|csv] [--import]`
// Proactive screening (rule book "Proactive identification"): streams the
// departmental CSV, prints the flagged households in rank order on standard
// output, each malformed row as `line N: why` on standard error, and a
// summary. Exit 0 when the file was read (even with malformed rows), 2 when
// the arguments or the file cannot be used. `--import` also stores the leads.
//
// Messages are in the language of LC_ALL / LC_MESSAGES / LANG (English when
// it starts with "en", otherwise Chinese, the portal's default); the JSON
// output is the same in both apart from each reason's `message`.
// Residents who asked not to be screened again (ScreeningOptOut) are read
// from the database at DATABASE_URL (a SQLite file or PostgreSQL) when it
// exists; their households are left out and only counted (see --help).
// LIFELINE_OUTREACH_STATS=1 adds one line `outreach-stats {...}` on standard
// error with the timings and the peak RSS (for the benchmark).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { createInstance } from "i18next";
import { isUtf8 } from "node:buffer";
import {
  Exact,
  InvalidAsOfDateError,
  NoRulesInForceError,
  compiledParametersFor,
  isValidIsoDate,
} from "~/domain/eligibility";
import { Worker, isMainThread, parentPort } from "node:worker_threads";
import {
  COLUMNS,
  OutreachScreening,
  PeopleCollector,
  RecordTooLongError,
  UnusableFileError,
  compareScreened,
  csvRow,
  explainOutreachReason,
  explainRowProblem,
  leadRecord,
  type RankKey,
  type ReaderPart,
  type RowProblem,
  type ScreenedHousehold,
  type ScreeningCounts,
} from "~/domain/outreach";
import { optOutExcluder } from "~/domain/outreach/opt-out";

type Lng = "en" | "zh-CN";
const EXIT_UNUSABLE = 2;
const CHUNK_BYTES = 1 << 20;
const started = performance.now();

function language(): Lng {
  const v = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || "";
  return v.toLowerCase().startsWith("en") ? "en" : "zh-CN";
}

const lng = language();
const i18n = createInstance();
void i18n.init({
  lng,
  fallbackLng: "zh-CN",
  ns: ["outreach"],
  defaultNS: "outreach",
  initImmediate: false,
  interpolation: { escapeValue: false },
  resources: Object.fromEntries(
    (["en", "zh-CN"] as const).map((l) => [l, { outreach: JSON.parse(fs.readFileSync(path.resolve("public/locales", l, "outreach.json"), "utf8")) }]),
  ),
});
/**
 * Translation with each template looked up once and filled in directly: the
 * output can hold hundreds of thousands of reasons, and i18next's full t()
 * per reason measured as a large share of the run. Plain {{name}} templates
 * only (what the "outreach" namespace uses); anything else goes to i18next.
 */
/** A template cut at its {{name}} places: text, name, text, name, …, text. */
const templates = new Map<string, string[] | null>();
function t(key: string, values: Record<string, unknown> = {}): string {
  let parts = templates.get(key);
  if (parts === undefined) {
    const [ns, path] = key.includes(":") ? key.split(":", 2) : ["outreach", key];
    const found = i18n.getResource(lng, ns, path) ?? i18n.getResource("zh-CN", ns, path);
    parts = typeof found === "string" && !/\$t\(|\{\{[^}]*[,-]/.test(found) ? found.split(/\{\{\s*([\w.]+)\s*\}\}/) : null;
    templates.set(key, parts);
  }
  if (parts === null) return i18n.t(key, values) as string;
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) out += String(values[parts[i]] ?? "") + parts[i + 1];
  return out;
}

class Unusable extends Error {}
/** Stops with exit code 2 and a message on standard error. */
function unusable(key: string, values: Record<string, unknown> = {}): never {
  throw new Unusable(t(key, values));
}

function todayInShanghai(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

interface Options {
  help: boolean;
  input: string;
  asOf: string;
  format: "json" | "csv";
  import: boolean;
}

function options(argv: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { input: { type: "string" }, "as-of": { type: "string" }, format: { type: "string" }, import: { type: "boolean" }, help: { type: "boolean" } },
    });
  } catch (error) {
    unusable("outreach:cli.badOption", { detail: error instanceof Error ? error.message : String(error) });
  }
  const v = parsed.values;
  if (v.help) return { help: true, input: "", asOf: "", format: "json", import: false };
  if (!v.input) unusable("outreach:cli.missingInput");
  const asOf = v["as-of"] ?? todayInShanghai();
  if (!isValidIsoDate(asOf)) unusable("outreach:cli.badAsOf");
  try {
    compiledParametersFor(asOf);
  } catch (error) {
    if (error instanceof NoRulesInForceError) unusable("outreach:cli.noRules", { asOf, earliest: error.earliest });
    if (error instanceof InvalidAsOfDateError) unusable("outreach:cli.badAsOf");
    throw error;
  }
  const format = v.format ?? "json";
  if (format !== "json" && format !== "csv") unusable("outreach:cli.badFormat");
  return { help: false, input: v.input, asOf, format, import: v.import ?? false };
}

/** Batches lines for standard error (one write per chunk read, not per malformed row). */
const errLines: string[] = [];
function flushErr() {
  if (errLines.length) {
    process.stderr.write(errLines.join(""));
    errLines.length = 0;
  }
}

/**
 * Reads the file as UTF-8 text into `push`, refusing binary data (a NUL byte),
 * UTF-16 and invalid UTF-8. Each chunk is decoded before the next is read.
 */
async function readText(file: string, push: (text: string) => void, afterChunk?: () => void): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, "r");
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      unusable("outreach:cli.unreadable", { file, reason: "not a file" });
    }
  } catch (error) {
    if (error instanceof Unusable) throw error;
    unusable("outreach:cli.unreadable", { file, reason: (error as NodeJS.ErrnoException).code ?? String(error) });
  }
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let offset = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      const bytes = buffer.subarray(0, bytesRead);
      if (offset === 0 && bytesRead >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
        unusable("outreach:cli.utf16", { file });
      }
      if (bytes.indexOf(0) !== -1) unusable("outreach:cli.binary", { file });
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch {
        unusable("outreach:cli.notUtf8", { file, offset });
      }
      offset += bytesRead;
      push(text);
      afterChunk?.();
    }
    let last: string;
    try {
      last = decoder.decode();
    } catch {
      unusable("outreach:cli.notUtf8", { file, offset });
    }
    if (last) push(last);
  } finally {
    await handle.close();
  }
}

/** Writes text (or UTF-8 bytes) to standard output, waiting when the pipe is full. */
async function out(text: string | Uint8Array): Promise<void> {
  if (!process.stdout.write(text)) await new Promise<void>((resolve) => process.stdout.once("drain", resolve));
}

/**
 * JSON.stringify({household_id, flags, perCapitaIncome, members, reasons:
 * [{code, passed, values, message}]}) written out piece by piece: the same
 * bytes (strings still go through JSON.stringify), without building the
 * objects for a few hundred thousand households (tests/integration compares
 * with JSON.stringify).
 */
function jsonItem(s: ScreenedHousehold): string {
  let reasons = "";
  for (let i = 0; i < s.reasons.length; i++) {
    const r = s.reasons[i];
    reasons += `${i ? "," : ""}{"code":${JSON.stringify(r.code)},"passed":${r.passed},"values":${JSON.stringify(r.values)},"message":${JSON.stringify(explainOutreachReason(t, r))}}`;
  }
  return `{"household_id":${JSON.stringify(s.householdId)},"flags":${JSON.stringify(s.flags)},"perCapitaIncome":${JSON.stringify(s.perCapitaIncome)},"members":${JSON.stringify(s.members)},"reasons":[${reasons}]}`;
}

async function printResults(results: ScreenedHousehold[], format: "json" | "csv"): Promise<void> {
  const LIMIT = 1 << 20; // write in ~1 MB pieces: the whole output may be hundreds of MB
  let buf = format === "json" ? "[" : csvRow(["rank", "household_id", "flags", "flag_count", "perCapitaIncome", "members", "reasons"]);
  for (let i = 0; i < results.length; i++) {
    const s = results[i];
    if (format === "json") buf += (i === 0 ? "\n" : ",\n") + jsonItem(s);
    else buf += csvRow([i + 1, s.householdId, s.flags.join(";"), s.flags.length, s.perCapitaIncome, s.members, s.reasons.map((r) => explainOutreachReason(t, r)).join(" ")]);
    if (buf.length > LIMIT) {
      await out(buf);
      buf = "";
    }
  }
  if (format === "json") buf += results.length ? "\n]\n" : "]\n";
  await out(buf);
}

/**
 * True unless every committed migration is recorded as applied. Why not always
 * `prisma migrate deploy` like the server's start: its WebAssembly engine
 * fails ("SocketTimeout") while another process, such as the running portal,
 * has the SQLite file open; an import must work next to the live server.
 * PostgreSQL: always true; its runner (migrate.server.ts) applies only what is
 * missing, under a lock, next to running instances.
 */
function migrationsPending(url: string): boolean {
  if (!url.startsWith("file:")) return true;
  const file = path.resolve(url.slice("file:".length));
  if (!fs.existsSync(file)) return true;
  const dir = path.resolve("prisma/migrations");
  const committed = fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, "migration.sql")));
  let sqlite: Database.Database | null = null;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
    const rows = sqlite
      .prepare("SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL")
      .all() as { name: string }[];
    const applied = new Set(rows.map((r) => r.name));
    return committed.some((name) => !applied.has(name));
  } catch {
    return true; // no migrations table yet, or unreadable: let Prisma say what is wrong
  } finally {
    sqlite?.close();
  }
}

async function importLeads(file: string, asOf: string, results: ScreenedHousehold[]): Promise<{ created: number; existing: number }> {
  // the people and prefill need whole records: read the file again for the flagged households only
  const collector = new PeopleCollector(asOf, new Set(results.map((r) => r.householdId)));
  await readText(file, (text) => collector.push(text));
  collector.end();
  // built one at a time as the import takes them: all at once would double the memory
  function* leads() {
    for (const s of results) yield leadRecord(s, asOf, collector.people.get(s.householdId) ?? []);
  }
  const { databaseUrl } = await import("~/services/config.server");
  const url = databaseUrl();
  if (migrationsPending(url)) {
    const { migrateDatabase } = await import("~/services/migrate.server");
    await migrateDatabase(url);
  }
  const { importOutreachLeads } = await import("~/models/outreach.server");
  return importOutreachLeads(url, leads());
}

/**
 * Parallel screening: every thread reads the whole file (as bytes: see
 * PersonRowReader.pushBytes) but keeps only the households of its own part
 * (a hash of the household key, see ReaderPart), then screens, ranks and
 * writes out (JSON or CSV, as UTF-8) its own flagged households; this thread
 * merges the parts' ranked lists and their problems (each row is in exactly
 * one part, line numbers are the file's). The first part runs on this
 * thread, the others on worker threads.
 * Why: after the rows are read, screening, ranking and writing out a few
 * hundred thousand flagged households took as long as the reading itself, on
 * one thread after a merge of the parts' tallies; split by household, no
 * merge is needed and all of it runs on every core. Finding the lines of the
 * whole file in its bytes costs little (the 2-core machine's target, issue 6,
 * is 3× a plain read).
 * Anything unusual in a part (bad encoding, a refused header, a record
 * longer than the single-thread reader allows, an error) gives null, and the
 * caller reads the file on one thread, which then says exactly what it says
 * without threads.
 * LIFELINE_OUTREACH_THREADS sets the number of parts (1: no threads);
 * LIFELINE_OUTREACH_PARALLEL_BYTES the smallest file split (tests use tiny files).
 */
const PARALLEL_MIN_BYTES = 8 << 20;
/** A part gives up (and the file is read on one thread) when one record is longer than this many bytes. */
const MAX_RECORD_BYTES = 1 << 20;
let threadsUsed = 1;
let partTimes: number[][] = [];
/**
 * The worker's entry: this file again, through tsx's loader when this file is
 * TypeScript (a worker does not inherit the `--import tsx` hooks of the main
 * thread on Node 20).
 */
const PART_WORKER = `
const { workerData } = require("node:worker_threads");
const load = workerData.entry.endsWith(".ts") ? import("tsx/esm/api").then((tsx) => tsx.register()) : Promise.resolve();
load.then(() => import(workerData.entry));
`;

interface PartJob {
  /** this module's URL (set when the worker starts) */
  entry?: string;
  file: string;
  /** the header line (with its line break), read through the text path */
  header: string;
  /** where the line after the header starts */
  bodyStart: number;
  part: ReaderPart;
  asOf: string;
  format: "json" | "csv";
  /** send the screened households too (for --import) */
  withResults: boolean;
  optOuts: { hashes: string[]; key: string } | null;
  /** Date.now() when the run started (for the stats' times) */
  startedAt?: number;
}

/** One part's screening: counts, problems, its flagged households ranked, each written out. */
interface PartOutput {
  counts: ScreeningCounts;
  problems: [number, RowProblem][];
  /** the rank keys of its flagged households, in its rank order */
  ids: string[];
  flagCount: Uint8Array;
  approxP: Float64Array;
  smallN: Float64Array;
  smallD: Float64Array;
  /** P of the households whose P is not small (smallN or smallD −1), by index */
  bigP: Map<number, [bigint, bigint]>;
  /** each household's JSON item or CSV row without its rank, as UTF-8: item i is bytes[ends[i − 1], ends[i]) */
  bytes: Uint8Array;
  ends: Int32Array;
  results: ScreenedHousehold[] | null;
  /** milliseconds since the run started (LIFELINE_OUTREACH_STATS): began reading, read, screened, written out */
  times: number[];
}

function partCount(size: number): number {
  const min = Number(process.env.LIFELINE_OUTREACH_PARALLEL_BYTES || PARALLEL_MIN_BYTES);
  const wanted = Number(process.env.LIFELINE_OUTREACH_THREADS || Math.min(2, os.availableParallelism()));
  if (!Number.isInteger(wanted) || wanted < 2 || size < min) return 1;
  return Math.min(wanted, 16);
}

/**
 * Worker threads for the later parts of a file this big, started first
 * thing: loading this module in a worker takes a while (tsx), which then
 * passes while this thread reads the opt-outs and the header. Each waits
 * for its PartJob as a message.
 */
interface PartWorker {
  worker: Worker;
  /** its part, once it has been sent a job (rejected if it fails or stops, also before that) */
  result: Promise<PartOutput>;
}

function startWorkers(file: string): PartWorker[] {
  let size: number;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return [];
    size = stat.size;
  } catch {
    return [];
  }
  const n = partCount(size);
  return Array.from({ length: n < 2 ? 0 : n - 1 }, () => {
    const worker = new Worker(PART_WORKER, { eval: true, workerData: { entry: import.meta.url } });
    const result = new Promise<PartOutput>((resolve, reject) => {
      worker.once("message", (m: { ok: true; part: PartOutput } | { ok: false }) => (m.ok ? resolve(m.part) : reject(new Error("part failed"))));
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`part exited ${code}`)));
    });
    result.catch(() => {}); // a failed part means one thread; until screenInParts, nobody waits for it
    return { worker, result };
  });
}

async function screenInParts(workers: PartWorker[], file: string, asOf: string, format: "json" | "csv", withResults: boolean, optOuts: PartJob["optOuts"]): Promise<PartOutput[] | null> {
  if (workers.length === 0) return null;
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return null;
  }
  let jobs: PartJob[];
  try {
    const stat = fs.fstatSync(fd);
    // the file changed since the workers started: one thread
    if (!stat.isFile() || partCount(stat.size) !== workers.length + 1) return null;
    const n = workers.length + 1;
    const probe = Buffer.allocUnsafe(1 << 16);
    const head = probe.subarray(0, fs.readSync(fd, probe, 0, probe.length, 0));
    const headerEnd = head.indexOf(10);
    // a header with a quote (a field may hold a line break) or without a line break: one thread
    if (headerEnd === -1 || head.subarray(0, headerEnd).indexOf(34) !== -1) return null;
    let header: string;
    try {
      header = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(head.subarray(0, headerEnd + 1));
    } catch {
      return null;
    }
    const startedAt = Date.now() - (performance.now() - started);
    jobs = Array.from({ length: n }, (_, index) => ({ file, header, bodyStart: headerEnd + 1, part: { index, count: n }, asOf, format, withResults, optOuts, startedAt }));
  } finally {
    fs.closeSync(fd);
  }
  // the first part is read on this thread meanwhile (it would only wait): one worker start fewer
  workers.forEach((w, k) => w.worker.postMessage(jobs[k + 1]));
  try {
    const first = screenPart(jobs[0]);
    return [first, ...(await Promise.all(workers.map((w) => w.result)))];
  } catch {
    return null;
  }
}

/** Screens one part (see screenInParts); throws on anything unusual. */
function screenPart(job: PartJob): PartOutput {
  const since = (job.startedAt ?? Date.now()) - Date.now() + performance.now();
  const times = [performance.now() - since];
  const problems: [number, RowProblem][] = [];
  const exclude = job.optOuts ? optOutExcluder(new Set(job.optOuts.hashes), job.optOuts.key) : null;
  const fd = fs.openSync(job.file, "r");
  let screening: OutreachScreening;
  try {
    const size = fs.fstatSync(fd).size;
    // about 90 bytes a row in departmental files; a guess only sizes the first arrays
    const expectedRows = Math.ceil((size - job.bodyStart) / 80 / job.part.count);
    screening = new OutreachScreening(job.asOf, (line, problem) => problems.push([line, problem]), { excludePerson: exclude, expectedRows, part: job.part });
    screening.push(job.header);
    let buffer = Buffer.allocUnsafe(2 * CHUNK_BYTES);
    /** bytes at the start of `buffer` not taken yet (an unfinished line or record) */
    let carry = 0;
    /** of those, how many are known to be valid UTF-8 */
    let checked = 0;
    for (let at = job.bodyStart; ; ) {
      if (carry > MAX_RECORD_BYTES) throw new Error("record too long");
      if (buffer.length < carry + CHUNK_BYTES) buffer = Buffer.concat([buffer.subarray(0, carry)], 2 * (carry + CHUNK_BYTES));
      const bytesRead = fs.readSync(fd, buffer, carry, CHUNK_BYTES, at);
      at += bytesRead;
      const final = bytesRead === 0 || at >= size;
      const have = carry + bytesRead;
      const view = buffer.subarray(0, have);
      if (view.indexOf(0, carry) !== -1) throw new Error("binary");
      // whole lines only (a line break is never inside a UTF-8 character), all of it at the end
      const upTo = final ? have : view.lastIndexOf(10) + 1;
      if (upTo > checked && !isUtf8(view.subarray(checked, upTo))) throw new Error("not UTF-8");
      const used = screening.pushBytes(view.subarray(0, upTo), final);
      if (final) break;
      buffer.copyWithin(0, used, have);
      carry = have - used;
      checked = Math.max(0, upTo - used);
    }
  } finally {
    fs.closeSync(fd);
  }
  times.push(performance.now() - since);
  const results = screening.results();
  times.push(performance.now() - since);
  const n = results.length;
  const out: PartOutput = {
    counts: screening.counts(),
    problems,
    ids: new Array<string>(n),
    flagCount: new Uint8Array(n),
    approxP: new Float64Array(n),
    smallN: new Float64Array(n),
    smallD: new Float64Array(n),
    bigP: new Map(),
    bytes: new Uint8Array(0),
    ends: new Int32Array(n),
    results: job.withResults ? results : null,
    times,
  };
  let bytes = Buffer.allocUnsafe(Math.max(1 << 16, n * 600));
  let used = 0;
  for (let i = 0; i < n; i++) {
    const s = results[i];
    out.ids[i] = s.householdId;
    out.flagCount[i] = s.flags.length;
    out.approxP[i] = s.approxP;
    out.smallN[i] = s.smallN;
    out.smallD[i] = s.smallD;
    if (s.smallN < 0 || s.smallD < 0) out.bigP.set(i, [s.P.n, s.P.d]);
    const text = job.format === "json" ? jsonItem(s) : csvRow([s.householdId, s.flags.join(";"), s.flags.length, s.perCapitaIncome, s.members, s.reasons.map((r) => explainOutreachReason(t, r)).join(" ")]);
    if (used + text.length * 3 > bytes.length) bytes = Buffer.concat([bytes.subarray(0, used)], 2 * (used + text.length * 3));
    used += bytes.write(text, used);
    out.ends[i] = used;
  }
  out.bytes = bytes.subarray(0, used);
  times.push(performance.now() - since);
  return out;
}

/** Worker thread: screens one part and sends it back (the arrays transferred, not copied). */
function runPart(job: PartJob): void {
  try {
    const part = screenPart(job);
    const transfer = [part.flagCount, part.approxP, part.smallN, part.smallD, part.bytes, part.ends].map((a) => a.buffer as ArrayBuffer);
    if (part.results) for (const r of part.results) (r as { P: unknown }).P = [r.P.n, r.P.d];
    parentPort!.postMessage({ ok: true, part }, transfer);
  } catch {
    // the single-thread read that follows gives the message
    parentPort!.postMessage({ ok: false });
  }
}

/** The parts' ranked lists as one, in rank order: [part, index] pairs. */
function mergeRanked(parts: PartOutput[]): { part: Uint8Array; index: Int32Array } {
  const total = parts.reduce((n, p) => n + p.ids.length, 0);
  const order = { part: new Uint8Array(total), index: new Int32Array(total) };
  const at = parts.map(() => 0);
  const keys = parts.map(() => ({ flags: { length: 0 }, approxP: 0, smallN: 0, smallD: 0, P: new Exact(0n, 1n), householdId: "" }) satisfies RankKey);
  const load = (k: number) => {
    const p = parts[k];
    const i = at[k];
    const key = keys[k];
    key.flags.length = p.flagCount[i];
    key.approxP = p.approxP[i];
    key.smallN = p.smallN[i];
    key.smallD = p.smallD[i];
    const big = p.bigP.get(i);
    if (big) key.P = new Exact(big[0], big[1]);
    key.householdId = p.ids[i];
  };
  const live: number[] = [];
  parts.forEach((p, k) => {
    if (p.ids.length > 0) {
      load(k);
      live.push(k);
    }
  });
  for (let o = 0; o < total; o++) {
    let best = live[0];
    for (let j = 1; j < live.length; j++) if (compareScreened(keys[live[j]], keys[best]) < 0) best = live[j];
    order.part[o] = best;
    order.index[o] = at[best]++;
    if (at[best] < parts[best].ids.length) load(best);
    else live.splice(live.indexOf(best), 1);
  }
  return order;
}

/** printResults for a parallel run: the parts' written items in merged rank order. */
async function printParts(parts: PartOutput[], order: { part: Uint8Array; index: Int32Array }, format: "json" | "csv"): Promise<void> {
  const LIMIT = 1 << 20;
  let buf = Buffer.allocUnsafe(2 * LIMIT);
  let used = buf.write(format === "json" ? "[" : csvRow(["rank", "household_id", "flags", "flag_count", "perCapitaIncome", "members", "reasons"]));
  const total = order.part.length;
  const views = parts.map((p) => Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength));
  for (let o = 0; o < total; o++) {
    const p = parts[order.part[o]];
    const i = order.index[o];
    const start = i === 0 ? 0 : p.ends[i - 1];
    const end = p.ends[i];
    const lead = format === "json" ? (o === 0 ? "\n" : ",\n") : `${o + 1},`;
    if (used + lead.length + end - start > buf.length) {
      await out(buf.subarray(0, used));
      buf = Buffer.allocUnsafe(Math.max(2 * LIMIT, lead.length + end - start));
      used = 0;
    }
    used += buf.write(lead, used, "latin1");
    used += views[order.part[o]].copy(buf, used, start, end);
    if (used > LIMIT) {
      await out(buf.subarray(0, used));
      buf = Buffer.allocUnsafe(2 * LIMIT);
      used = 0;
    }
  }
  if (format === "json") used += buf.write(total ? "\n]\n" : "]\n", used);
  await out(buf.subarray(0, used));
}

/** The parts' problems in line order (each row is in one part, so no line twice). */
function partProblems(parts: PartOutput[]): [number, RowProblem][] {
  return parts.flatMap((p) => p.problems).sort((a, b) => a[0] - b[0]);
}

/** The parts' screened households in merged rank order (for --import). */
function partResults(parts: PartOutput[], order: { part: Uint8Array; index: Int32Array }): ScreenedHousehold[] {
  const list: ScreenedHousehold[] = [];
  for (let o = 0; o < order.part.length; o++) {
    const r = parts[order.part[o]].results![order.index[o]];
    const P = r.P as unknown;
    if (Array.isArray(P)) r.P = new Exact(P[0] as bigint, P[1] as bigint);
    list.push(r);
  }
  return list;
}

interface OptOuts {
  /** null: no database, nothing checked */
  count: number | null;
  exclude: ((idNumber: string) => boolean) | null;
  /** the hashes and key again, for the worker threads (functions cannot be sent) */
  forWorkers: { hashes: string[]; key: string } | null;
}

/**
 * The opt-outs of the database at DATABASE_URL (SQLite or PostgreSQL), when
 * that database exists. Refuses (exit 2, nothing screened) when they cannot
 * be honoured: a database that cannot be read (a PostgreSQL server that does
 * not answer, say), or opt-outs without the portal's session secret (a new
 * secret generated here would match nobody, silently screening those who
 * opted out).
 */
async function readOptOuts(): Promise<OptOuts> {
  const { databaseUrl, dataDir } = await import("~/services/config.server");
  const { readScreeningOptOutsAt, screeningOptOutSecret } = await import("~/models/outreach.server");
  let hashes: Set<string> | null;
  try {
    hashes = await readScreeningOptOutsAt(databaseUrl());
  } catch (error) {
    // The error's code only (ECONNREFUSED, 28P01…): its message could quote the URL.
    const code = (error as { code?: unknown }).code;
    unusable("outreach:cli.optOutsUnreadable", { reason: typeof code === "string" ? code : error instanceof Error ? error.name : "error" });
  }
  if (hashes === null) return { count: null, exclude: null, forWorkers: null };
  if (hashes.size === 0) return { count: 0, exclude: null, forWorkers: null };
  if (!process.env.SESSION_SECRET && !fs.existsSync(path.join(dataDir(), "session-secret"))) unusable("outreach:cli.optOutsNoSecret");
  const key = screeningOptOutSecret();
  return { count: hashes.size, exclude: optOutExcluder(hashes, key), forWorkers: { hashes: [...hashes], key } };
}

async function main(): Promise<number> {
  const opts = options(process.argv.slice(2));
  if (opts.help) {
    await out(`${t("outreach:cli.usage")}\n\n${t("outreach:cli.help")}\n`);
    return 0;
  }
  const workers = startWorkers(opts.input);
  try {
    return await screenAndPrint(opts, workers);
  } finally {
    for (const w of workers) void w.worker.terminate();
  }
}

async function screenAndPrint(opts: Options, workers: PartWorker[]): Promise<number> {
  const optOuts = await readOptOuts();
  const report = (line: number, problem: RowProblem) => {
    errLines.push(`line ${line}: ${explainRowProblem(t, problem)}\n`);
  };
  const file = opts.input;
  const parts = await screenInParts(workers, file, opts.asOf, opts.format, opts.import, optOuts.forWorkers);
  threadsUsed = parts === null ? 1 : parts.length;
  partTimes = parts === null ? [] : parts.map((p) => p.times.map(Math.round));
  let screening: OutreachScreening | null = null;
  if (parts === null) {
    try {
      // one thread: small files, and any file a part could not read cleanly (its messages come from here)
      const single = new OutreachScreening(opts.asOf, report, { excludePerson: optOuts.exclude });
      screening = single;
      await readText(file, (text) => single.push(text), flushErr);
      single.end();
    } catch (error) {
      flushErr();
      if (error instanceof UnusableFileError) {
        if (error.code === "empty") unusable("outreach:cli.noHeader", { file, columns: COLUMNS.join(", ") });
        if (error.missing.length) unusable("outreach:cli.missingColumns", { file, missing: error.missing.join(", "), columns: COLUMNS.join(", ") });
        unusable("outreach:cli.duplicatedColumns", { file, duplicated: error.duplicated.join(", ") });
      }
      if (error instanceof RecordTooLongError) unusable("outreach:cli.recordTooLong", { file, line: error.line });
      throw error;
    }
  } else for (const [line, problem] of partProblems(parts)) report(line, problem);
  flushErr();
  const readMs = performance.now() - started;
  const readCpuMs = (process.cpuUsage().user + process.cpuUsage().system) / 1000;
  let results: ScreenedHousehold[];
  let summary;
  if (screening !== null) {
    results = screening.results();
    await printResults(results, opts.format);
    summary = screening.summary(results.length);
  } else {
    const order = mergeRanked(parts!);
    await printParts(parts!, order, opts.format);
    results = opts.import ? partResults(parts!, order) : [];
    summary = OutreachScreening.summaryOfParts(opts.asOf, parts!.map((p) => p.counts), order.part.length);
  }
  process.stderr.write(`${t("outreach:cli.summary", { ...summary })}\n`);
  process.stderr.write(
    `${optOuts.count === null ? t("outreach:cli.optOutsNoDatabase") : t("outreach:cli.optOuts", { optOuts: optOuts.count, excluded: summary.excluded })}\n`,
  );
  if (opts.import) {
    try {
      const imported = await importLeads(file, opts.asOf, results);
      process.stderr.write(`${t("outreach:cli.imported", { ...imported })}\n`);
    } catch (error) {
      if (error instanceof Unusable) throw error;
      process.stderr.write(`${t("outreach:cli.importFailed", { reason: error instanceof Error ? error.message.split("\n")[0] : String(error) })}\n`);
      return 1;
    }
  }
  if (process.env.LIFELINE_OUTREACH_STATS === "1") {
    const stats = {
      ...summary,
      readAndScreenMs: Math.round(readMs),
      readAndScreenCpuMs: Math.round(readCpuMs),
      threads: threadsUsed,
      totalMs: Math.round(performance.now() - started),
      cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
      maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      partTimes,
    };
    process.stderr.write(`outreach-stats ${JSON.stringify(stats)}\n`);
  }
  return 0;
}

if (isMainThread) main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    flushErr();
    if (error instanceof Unusable) {
      process.stderr.write(`${error.message}\n${t("outreach:cli.usage")}\n`);
      process.exitCode = EXIT_UNUSABLE;
      return;
    }
    // The kind of failure only: a stack trace or message could carry a path or a person's data.
    process.stderr.write(`${t("outreach:cli.failed", { kind: error instanceof Error ? error.name : "error" })}\n`);
    process.exitCode = 1;
  },
);
else parentPort!.once("message", runPart);
