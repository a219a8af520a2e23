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
// from DATABASE_URL when that SQLite file exists; their households are left
// out and only counted (see --help).
// LIFELINE_OUTREACH_STATS=1 adds one line `outreach-stats {...}` on standard
// error with the timings and the peak RSS (for the benchmark).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { createInstance } from "i18next";
import {
  InvalidAsOfDateError,
  NoRulesInForceError,
  compiledParametersFor,
  isValidIsoDate,
} from "~/domain/eligibility";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import {
  COLUMNS,
  OutreachScreening,
  PeopleCollector,
  RecordTooLongError,
  UnusableFileError,
  csvRow,
  explainOutreachReason,
  explainRowProblem,
  leadRecord,
  type RowProblem,
  type ScreenedHousehold,
  type ScreeningPart,
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

/** Writes text to standard output, waiting when the pipe is full. */
async function out(text: string): Promise<void> {
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
    migrateDatabase(url);
  }
  const { importOutreachLeads } = await import("~/models/outreach.server");
  return importOutreachLeads(url, leads());
}

/**
 * Parallel screening: a big file is cut at line breaks into one part per
 * core, each read, checked and tallied on its own thread (the first on this
 * one, the others on worker threads; the same code as
 * the single-thread path, with the header line put in front of the later
 * parts), and the parts are merged in file order (OutreachScreening.fromParts:
 * exact line numbers, a person repeated across parts skipped in the later
 * one). Why: reading and checking a million rows is the bulk of the run and
 * splits well; the 2-core machine's target (issue 6) is 3× a plain read.
 * Anything unusual in a part (a cut inside a quoted field, bad encoding, a
 * refused header, an error) gives null, and the caller reads the file on one
 * thread, which then says exactly what it says without threads.
 * LIFELINE_OUTREACH_THREADS sets the number of parts (1: no threads);
 * LIFELINE_OUTREACH_PARALLEL_BYTES the smallest file cut (tests use tiny files).
 */
const PARALLEL_MIN_BYTES = 8 << 20;
let threadsUsed = 1;
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
  start: number;
  end: number;
  /** the header line (with its line break) for parts after the first */
  header: string | null;
  asOf: string;
  optOuts: { hashes: string[]; key: string } | null;
}

function partCount(size: number): number {
  const min = Number(process.env.LIFELINE_OUTREACH_PARALLEL_BYTES || PARALLEL_MIN_BYTES);
  const wanted = Number(process.env.LIFELINE_OUTREACH_THREADS || Math.min(2, os.availableParallelism()));
  if (!Number.isInteger(wanted) || wanted < 2 || size < min) return 1;
  return Math.min(wanted, 16);
}

async function screenInParts(file: string, asOf: string, optOuts: PartJob["optOuts"]): Promise<ScreeningPart[] | null> {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return null;
  }
  let jobs: PartJob[];
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return null;
    const n = partCount(stat.size);
    if (n < 2) return null;
    const probe = Buffer.allocUnsafe(1 << 16);
    const read = (at: number) => probe.subarray(0, fs.readSync(fd, probe, 0, probe.length, at));
    const head = read(0);
    const headerEnd = head.indexOf(10);
    // a header with a quote (a field may hold a line break) or without a line break: one thread
    if (headerEnd === -1 || head.subarray(0, headerEnd).indexOf(34) !== -1) return null;
    let header: string;
    try {
      header = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(head.subarray(0, headerEnd + 1));
    } catch {
      return null;
    }
    const cuts = [0];
    const body = headerEnd + 1;
    for (let k = 1; k < n; k++) {
      const target = Math.max(body + Math.floor(((stat.size - body) * k) / n), cuts[k - 1] + 1);
      const chunk = read(target);
      const nl = chunk.indexOf(10);
      if (nl === -1) return null; // a line longer than the probe: not worth cutting
      const cut = target + nl + 1;
      if (cut >= stat.size) return null;
      cuts.push(cut);
    }
    cuts.push(stat.size);
    jobs = cuts.slice(0, -1).map((start, k) => ({ file, start, end: cuts[k + 1], header: k === 0 ? null : header, asOf, optOuts }));
  } finally {
    fs.closeSync(fd);
  }
  // the first part is read on this thread meanwhile (it would only wait): one worker start fewer
  const workers: Worker[] = [];
  const later = jobs.slice(1).map(
    (job) =>
      new Promise<ScreeningPart>((resolve, reject) => {
        const w = new Worker(PART_WORKER, { eval: true, workerData: { ...job, entry: import.meta.url } });
        workers.push(w);
        w.once("message", (m: { ok: true; part: ScreeningPart } | { ok: false }) => (m.ok ? resolve(m.part) : reject(new Error("part failed"))));
        w.once("error", reject);
        w.once("exit", (code) => reject(new Error(`part exited ${code}`)));
      }),
  );
  try {
    const first = screenPart(jobs[0]);
    return [first, ...(await Promise.all(later))];
  } catch {
    return null;
  } finally {
    for (const p of later) p.catch(() => {});
    for (const w of workers) void w.terminate();
  }
}

/** Screens one part of the file (see screenInParts); throws on anything unusual. */
function screenPart(job: PartJob): ScreeningPart {
  const problems: [number, RowProblem][] = [];
  const exclude = job.optOuts ? optOutExcluder(new Set(job.optOuts.hashes), job.optOuts.key) : null;
  // about 90 bytes a row in departmental files; a guess only sizes the first arrays
  const expectedRows = Math.ceil((job.end - job.start) / 80);
  const screening = new OutreachScreening(job.asOf, (line, problem) => problems.push([line, problem]), { excludePerson: exclude, expectedRows });
  if (job.header !== null) screening.push(job.header);
  const firstLine = screening.nextLine;
  const last = job.end >= fs.statSync(job.file).size;
  const fd = fs.openSync(job.file, "r");
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    for (let at = job.start; at < job.end; ) {
      const bytesRead = fs.readSync(fd, buffer, 0, Math.min(CHUNK_BYTES, job.end - at), at);
      if (bytesRead === 0) break;
      const bytes = buffer.subarray(0, bytesRead);
      if (at === 0 && bytesRead >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) throw new Error("utf16");
      if (bytes.indexOf(0) !== -1) throw new Error("binary");
      screening.push(decoder.decode(bytes, { stream: true }));
      at += bytesRead;
    }
    const rest = decoder.decode();
    if (rest) screening.push(rest);
  } finally {
    fs.closeSync(fd);
  }
  if (last) screening.end();
  return screening.exportPart(problems, firstLine);
}

/** Worker thread: screens one part of the file and sends its tallies back (typed arrays, transferred). */
function runPart(): void {
  try {
    const part = screenPart(workerData as PartJob);
    const t = part.tallies;
    const transfer = [t.chars, t.hidStart, t.hidLen, t.members, t.incomeFen, t.medicalFen, t.mainLabour, t.severe, t.bits, t.soleAge, t.soleIncomeFen, t.skipped, t.firstPerson, t.lastPerson, t.pStart, t.pLen, t.pNext, t.pAge, t.pBits, t.pIncomeFen, t.pMedicalFen, t.pLine].map((a) => a.buffer as ArrayBuffer);
    parentPort!.postMessage({ ok: true, part }, transfer);
  } catch {
    // the single-thread read that follows gives the message
    parentPort!.postMessage({ ok: false });
  }
}

interface OptOuts {
  /** null: no database, nothing checked */
  count: number | null;
  exclude: ((idNumber: string) => boolean) | null;
  /** the hashes and key again, for the worker threads (functions cannot be sent) */
  forWorkers: { hashes: string[]; key: string } | null;
}

/**
 * The opt-outs of the database at DATABASE_URL, when that file exists. Refuses
 * (exit 2, nothing screened) when they cannot be honoured: a database that is
 * not SQLite, or opt-outs without the portal's session secret (a new secret
 * generated here would match nobody, silently screening those who opted out).
 */
async function readOptOuts(): Promise<OptOuts> {
  const { databaseUrl, dataDir } = await import("~/services/config.server");
  const { loadScreeningOptOuts, screeningOptOutSecret, sqliteFileOf } = await import("~/models/outreach.server");
  const url = databaseUrl();
  const file = sqliteFileOf(url);
  if (file === null) unusable("outreach:cli.optOutsNotSqlite");
  if (!fs.existsSync(file)) return { count: null, exclude: null, forWorkers: null };
  const hashes = loadScreeningOptOuts(url);
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
  const optOuts = await readOptOuts();
  const report = (line: number, problem: RowProblem) => {
    errLines.push(`line ${line}: ${explainRowProblem(t, problem)}\n`);
  };
  const file = opts.input;
  const parts = await screenInParts(file, opts.asOf, optOuts.forWorkers);
  let screening = parts === null ? null : OutreachScreening.fromParts(opts.asOf, parts, report);
  threadsUsed = screening === null ? 1 : parts!.length;
  try {
    if (screening === null) {
      // one thread: small files, and any file a part could not read cleanly (its messages come from here)
      const single = new OutreachScreening(opts.asOf, report, { excludePerson: optOuts.exclude });
      screening = single;
      await readText(file, (text) => single.push(text), flushErr);
      single.end();
    }
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
  flushErr();
  const readMs = performance.now() - started;
  const readCpuMs = (process.cpuUsage().user + process.cpuUsage().system) / 1000;
  const results = screening.results();
  await printResults(results, opts.format);
  const summary = screening.summary(results.length);
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
else runPart();
