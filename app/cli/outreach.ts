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
// LIFELINE_OUTREACH_STATS=1 adds one line `outreach-stats {...}` on standard
// error with the timings and the peak RSS (for the benchmark).
import fs from "node:fs";
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
  type ScreenedHousehold,
} from "~/domain/outreach";

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
const templates = new Map<string, string | null>();
function t(key: string, values: Record<string, unknown> = {}): string {
  let template = templates.get(key);
  if (template === undefined) {
    const [ns, path] = key.includes(":") ? key.split(":", 2) : ["outreach", key];
    const found = i18n.getResource(lng, ns, path) ?? i18n.getResource("zh-CN", ns, path);
    template = typeof found === "string" && !/\$t\(|\{\{[^}]*[,-]/.test(found) ? found : null;
    templates.set(key, template);
  }
  if (template === null) return i18n.t(key, values) as string;
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => String(values[name] ?? ""));
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
      options: { input: { type: "string" }, "as-of": { type: "string" }, format: { type: "string" }, import: { type: "boolean" } },
    });
  } catch (error) {
    unusable("outreach:cli.badOption", { detail: error instanceof Error ? error.message : String(error) });
  }
  const v = parsed.values;
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
  return { input: v.input, asOf, format, import: v.import ?? false };
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

function jsonItem(s: ScreenedHousehold): string {
  return JSON.stringify({
    household_id: s.householdId,
    flags: s.flags,
    perCapitaIncome: s.perCapitaIncome,
    members: s.members,
    reasons: s.reasons.map((r) => ({ code: r.code, passed: r.passed, values: r.values, message: explainOutreachReason(t, r) })),
  });
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

async function main(): Promise<number> {
  const opts = options(process.argv.slice(2));
  const screening = new OutreachScreening(opts.asOf, (line, problem) => {
    errLines.push(`line ${line}: ${explainRowProblem(t, problem)}\n`);
  });
  const file = opts.input;
  try {
    await readText(file, (text) => screening.push(text), flushErr);
    screening.end();
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
  const results = screening.results();
  await printResults(results, opts.format);
  const summary = screening.summary(results.length);
  process.stderr.write(`${t("outreach:cli.summary", { ...summary })}\n`);
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
      totalMs: Math.round(performance.now() - started),
      cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
      maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    process.stderr.write(`outreach-stats ${JSON.stringify(stats)}\n`);
  }
  return 0;
}

main().then(
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
