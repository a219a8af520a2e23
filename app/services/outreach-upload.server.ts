// Departmental CSV uploads in the staff console (issue 6): the multipart
// reader that streams the file to disk, and the screening that runs on it in
// the background of this process.
//
// Reading (readOutreachUpload): the file part goes chunk by chunk to
// <data dir>/outreach-uploads/<id>.part, never whole in memory. While it
// streams, each chunk is checked: the size cap (200 MB), no UTF-16 BOM, no NUL
// byte (a spreadsheet or other binary file), valid UTF-8 (a streaming strict
// decoder), and the header row (the rule book's columns, parsed from the first
// record). A refused file is deleted and the reason comes back as a key the
// page words; the form's CSRF field must come BEFORE the file (it does in our
// form), so a forged post never writes a byte.
//
// Screening (queueOutreachScreening): one upload at a time (memory), through
// the same code as `npm run outreach`: OutreachScreening, then PeopleCollector
// for the flagged households, then importOutreachLeads. Progress (bytes and
// rows read) is written to the OutreachUpload row about once a second. The
// importer writes through a connection of its own. On SQLite (better-sqlite3)
// it writes synchronously; each slice of leads runs inside an empty Prisma
// transaction, which holds the server's statement lock while opening no
// SQLite transaction of its own, so no server transaction is half-way through
// while the importer waits for the write lock (a synchronous wait would block
// the event loop that has to finish it). On PostgreSQL (pg) it awaits like any
// query; the empty transaction then only costs a pooled connection meanwhile.
// A restart resumes unfinished uploads (resumeOutreachUploads); the file is
// deleted once screened, failed or not: it holds personal data.
import crypto from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { unstable_parseMultipartFormData, type UploadHandlerPart } from "@remix-run/node";
import {
  COLUMNS,
  CsvRecordParser,
  OutreachScreening,
  PeopleCollector,
  RecordTooLongError,
  UnusableFileError,
  leadRecord,
  readHeader,
} from "~/domain/outreach";
import { importOutreachLeads, screeningExcluder } from "~/models/outreach.server";
import { claimUpload, finishUpload, getUpload, MALFORMED_SAMPLE_SIZE, unfinishedUploadIds, uploadProgress, type MalformedSample } from "~/models/outreach-upload.server";
import { DRAIN_LIMIT_BYTES, discardBody } from "./api-errors.server";
import { databaseUrl, dataDir } from "./config.server";
import { db } from "./db.server";

export const OUTREACH_UPLOAD_MAX_BYTES = 200 * 1024 * 1024;
const ENVELOPE_ALLOWANCE = 64 * 1024;
const HEADER_MAX_CHARS = 64 * 1024;
const READ_CHUNK = 256 * 1024;
const PROGRESS_EVERY_MS = 1000;
/** Leads per import call: on SQLite each call blocks the event loop (synchronous), about 0.1 s for 500. */
const IMPORT_SLICE = 500;
const UPLOAD_ID = /^[0-9a-f-]{36}$/;

/** Keys of namespace "leads" under upload.errors. */
export type UploadProblemKey =
  | "fileMissing"
  | "fileTwice"
  | "notCsv"
  | "binary"
  | "tooLarge"
  | "empty"
  | "utf16"
  | "notUtf8"
  | "missingColumns"
  | "duplicatedColumns"
  | "malformed"
  | "notMultipart";

export interface UploadProblem {
  key: UploadProblemKey;
  values?: Record<string, string>;
}

export type OutreachUploadResult =
  | { ok: true; id: string; fileName: string; bytes: number; csrf: string | null; dataDate: string | null }
  | { ok: false; status: 400 | 413 | 415; problem: UploadProblem; csrf: string | null; dataDate: string | null; closeConnection: boolean };

export function uploadDirectory(): string {
  return path.join(dataDir(), "outreach-uploads");
}

export function uploadFilePath(id: string): string {
  return path.join(uploadDirectory(), `${id}.csv`);
}

export function isUploadId(id: string): boolean {
  return UPLOAD_ID.test(id);
}

class DrainLimitReached extends Error {}
class Refusal extends Error {
  constructor(readonly status: 400 | 413 | 415, readonly problem: UploadProblem) {
    super(problem.key);
  }
}

function isMultipart(contentType: string | null): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(";").map((p) => p.trim());
  return type.toLowerCase() === "multipart/form-data" && params.some((p) => /^boundary=./i.test(p));
}

function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/** The header row check, fed text until the first record is complete. */
class HeaderCheck {
  result: ReturnType<typeof readHeader> | null = null;
  private first = true;
  private readonly parser = new CsvRecordParser(
    {
      record: (fields) => {
        this.result ??= readHeader(fields);
      },
      malformed: () => {
        this.result ??= { ok: false, missing: [...COLUMNS], duplicated: [] };
      },
    },
    { maxRecordChars: HEADER_MAX_CHARS },
  );

  push(text: string): void {
    if (this.result) return;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    try {
      this.parser.push(text);
    } catch (error) {
      if (!(error instanceof RecordTooLongError)) throw error;
      this.result = { ok: false, missing: [...COLUMNS], duplicated: [] };
    }
  }

  end(): void {
    if (this.result) return;
    try {
      this.parser.end();
    } catch {
      this.result = { ok: false, missing: [...COLUMNS], duplicated: [] };
    }
  }
}

/** Streams one file part to `target`, checking it as it goes; throws Refusal (the part is then partly unread). */
async function storeCsv(data: AsyncIterable<Uint8Array>, target: string, maxBytes: number): Promise<number> {
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const out = fs.createWriteStream(target, { flags: "wx" });
  const closed = new Promise<void>((resolve, reject) => {
    out.on("close", resolve);
    out.on("error", reject);
  });
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const header = new HeaderCheck();
  let bytes = 0;
  try {
    for await (const chunk of data) {
      if (bytes === 0 && chunk.byteLength >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
        throw new Refusal(400, { key: "utf16" });
      }
      bytes += chunk.byteLength;
      if (bytes > maxBytes) throw new Refusal(413, { key: "tooLarge" });
      if (chunk.indexOf(0) !== -1) throw new Refusal(415, { key: "binary" });
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw new Refusal(400, { key: "notUtf8" });
      }
      header.push(text);
      if (header.result && !header.result.ok) throw headerRefusal(header.result);
      if (!out.write(chunk)) await once(out, "drain");
    }
    if (bytes === 0) throw new Refusal(400, { key: "empty" });
    try {
      header.push(decoder.decode());
    } catch {
      throw new Refusal(400, { key: "notUtf8" });
    }
    header.end();
    if (!header.result) throw new Refusal(400, { key: "empty" });
    if (!header.result.ok) throw headerRefusal(header.result);
    out.end();
    await closed;
    return bytes;
  } catch (error) {
    out.destroy();
    await closed.catch(() => undefined);
    await fs.promises.rm(target, { force: true });
    throw error;
  }
}

function headerRefusal(result: { ok: false; missing: readonly string[]; duplicated: readonly string[] }): Refusal {
  if (result.missing.length > 0) return new Refusal(400, { key: "missingColumns", values: { missing: result.missing.join(", "), columns: COLUMNS.join(", ") } });
  return new Refusal(400, { key: "duplicatedColumns", values: { duplicated: result.duplicated.join(", ") } });
}

/**
 * Reads the upload form (fields csrf, dataDate, file, in that order). When
 * `expectedCsrf` does not match the csrf field sent before the file, the file
 * is not written. On success the file is at uploadFilePath(id).
 */
export async function readOutreachUpload(request: Request, { expectedCsrf, maxBytes = OUTREACH_UPLOAD_MAX_BYTES }: { expectedCsrf: string; maxBytes?: number }): Promise<OutreachUploadResult> {
  if (!isMultipart(request.headers.get("content-type"))) {
    const drained = await discardBody(request);
    return { ok: false, status: 415, problem: { key: "notMultipart" }, csrf: null, dataDate: null, closeConnection: !drained };
  }
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes + ENVELOPE_ALLOWANCE) {
    // Refused before a byte is stored; a huge body is not waited for.
    const drained = declared <= DRAIN_LIMIT_BYTES ? await discardBody(request) : false;
    return { ok: false, status: 413, problem: { key: "tooLarge" }, csrf: null, dataDate: null, closeConnection: !drained };
  }

  const id = crypto.randomUUID();
  const partFile = path.join(uploadDirectory(), `${id}.part`);
  let csrf: string | null = null;
  let dataDate: string | null = null;
  let fileSeen = false;
  let fileName = "";
  let bytes = 0;
  let refusal: Refusal | null = null;
  let discarded = 0;

  const discard = async (data: AsyncIterable<Uint8Array>): Promise<void> => {
    for await (const chunk of data) {
      discarded += chunk.byteLength;
      if (discarded > DRAIN_LIMIT_BYTES) throw new DrainLimitReached();
    }
  };
  const readText = async (data: AsyncIterable<Uint8Array>, max: number): Promise<string> => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size <= max) chunks.push(chunk);
    }
    return size <= max ? Buffer.concat(chunks).toString("utf8") : "";
  };

  const handler = async (part: UploadHandlerPart): Promise<undefined> => {
    if (part.name === "csrf" && part.filename === undefined) {
      csrf = await readText(part.data, 200);
    } else if (part.name === "dataDate" && part.filename === undefined) {
      dataDate = (await readText(part.data, 40)).trim();
    } else if (part.name === "file") {
      if (fileSeen) {
        refusal ??= new Refusal(400, { key: "fileTwice" });
        await discard(part.data);
        return undefined;
      }
      fileSeen = true;
      fileName = path.basename(String(part.filename ?? "").replace(/\\/g, "/")).slice(0, 200);
      if (csrf === null || !sameSecret(csrf, expectedCsrf) || refusal) {
        // No (or a wrong) token before the file: the caller answers 403; nothing is written.
        await discard(part.data);
        return undefined;
      }
      if (fileName === "") {
        refusal = new Refusal(400, { key: "fileMissing" });
        await discard(part.data);
        return undefined;
      }
      if (!/\.csv$/i.test(fileName)) {
        refusal = new Refusal(415, { key: "notCsv" });
        await discard(part.data);
        return undefined;
      }
      try {
        bytes = await storeCsv(part.data, partFile, maxBytes);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        refusal = error;
        // storeCsv stopped at the first sign of trouble; the rest of the part is still coming.
        await discard(part.data);
      }
    } else {
      await discard(part.data);
    }
    return undefined;
  };

  let closeConnection = false;
  let broken = false;
  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    closeConnection = true;
    if (!(error instanceof DrainLimitReached)) broken = true;
  }
  const stored = fileSeen && !refusal && bytes > 0 && !broken;
  if (!stored) await fs.promises.rm(partFile, { force: true });
  const common = { csrf: csrf as string | null, dataDate: dataDate as string | null };
  if (broken) return { ok: false, status: 400, problem: { key: "malformed" }, ...common, closeConnection };
  const refused = refusal as Refusal | null;
  if (refused) return { ok: false, status: refused.status, problem: refused.problem, ...common, closeConnection };
  if (!stored) return { ok: false, status: 400, problem: { key: "fileMissing" }, ...common, closeConnection };
  await fs.promises.rename(partFile, uploadFilePath(id));
  return { ok: true, id, fileName, bytes, ...common };
}

/** Deletes a stored upload file (a post refused after reading, or a screened file). */
export async function deleteUploadFile(id: string): Promise<void> {
  if (!isUploadId(id)) return;
  await fs.promises.rm(uploadFilePath(id), { force: true });
}

// --- the background screening ----------------------------------------------

/**
 * Lets timers and I/O run. Awaiting Prisma is not enough: with the SQLite
 * adapter its calls complete as microtasks, so a loop of them never lets the
 * server answer anyone (measured: a 15 s stall while 45,000 leads were stored).
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Reads the file as UTF-8 text in chunks, awaiting between them (other requests run meanwhile). */
async function readFileText(file: string, push: (text: string) => void, afterChunk: (bytesRead: number) => Promise<void>): Promise<void> {
  const handle = await fs.promises.open(file, "r");
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const buffer = Buffer.allocUnsafe(READ_CHUNK);
  let total = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      push(decoder.decode(buffer.subarray(0, bytesRead), { stream: true }));
      await afterChunk(total);
      await yieldToEventLoop();
    }
    const last = decoder.decode();
    if (last) push(last);
  } finally {
    await handle.close();
  }
}

/** Runs `work` while no server transaction is open (see the header). */
function whileDatabaseQuiet<T>(work: () => Promise<T>): Promise<T> {
  return db.$transaction(async () => work(), { maxWait: 60_000, timeout: 120_000 });
}

function failureKey(error: unknown): string {
  if (error instanceof RecordTooLongError) return "recordTooLong";
  if (error instanceof UnusableFileError) return "header";
  if (error instanceof TypeError && /decode|encoded/i.test(error.message)) return "notUtf8";
  return "failed";
}

async function screenUpload(id: string): Promise<void> {
  const upload = await getUpload(db, id);
  if (!upload || upload.status === "done" || upload.status === "failed") return;
  // Several instances resume unfinished uploads at start: the one that claims it screens it.
  if (!(await claimUpload(db, id))) return;
  const file = uploadFilePath(id);
  if (!fs.existsSync(file)) {
    await finishUpload(db, id, { status: "failed", error: "fileGone" });
    return;
  }
  try {
    const excludePerson = await screeningExcluder(db);
    const sample: MalformedSample[] = [];
    const screening = new OutreachScreening(
      upload.dataDate,
      (line, problem) => {
        if (sample.length < MALFORMED_SAMPLE_SIZE) sample.push({ line, problem });
      },
      { excludePerson },
    );
    let last = Date.now();
    await readFileText(
      file,
      (text) => screening.push(text),
      async (bytesRead) => {
        if (Date.now() - last < PROGRESS_EVERY_MS) return;
        last = Date.now();
        const s = screening.summary(0);
        await uploadProgress(db, id, { bytesRead, rowsRead: s.rowsRead, malformed: s.malformed, malformedSample: sample });
      },
    );
    screening.end();
    // Ranking is one synchronous step of the shared domain code (about a second per 100,000 households).
    const results = screening.results();
    const summary = screening.summary(results.length);
    await uploadProgress(db, id, {
      bytesRead: upload.bytes,
      rowsRead: summary.rowsRead,
      malformed: summary.malformed,
      malformedSample: sample,
      households: summary.households,
      flagged: summary.flagged,
    });
    if (results.length > 0) {
      // The people and the prefill need whole records: read the file again for the flagged households only.
      const collector = new PeopleCollector(upload.dataDate, new Set(results.map((r) => r.householdId)));
      await readFileText(file, (text) => collector.push(text), async () => undefined);
      collector.end();
      let imported = 0;
      for (let i = 0; i < results.length; i += IMPORT_SLICE) {
        const slice = results.slice(i, i + IMPORT_SLICE).map((s) => leadRecord(s, upload.dataDate, collector.people.get(s.householdId) ?? []));
        const done = await whileDatabaseQuiet(() => importOutreachLeads(databaseUrl(), slice));
        imported += done.created;
        await uploadProgress(db, id, { imported });
        await yieldToEventLoop();
      }
    }
    await finishUpload(db, id, { status: "done" });
  } catch (error) {
    // The kind only: a message could quote a row.
    console.error("Outreach upload screening failed:", error instanceof Error ? error.name : "error");
    await finishUpload(db, id, { status: "failed", error: failureKey(error) }).catch(() => undefined);
  } finally {
    await fs.promises.rm(file, { force: true }).catch(() => undefined);
  }
}

let chain: Promise<void> = Promise.resolve();
const queued = new Set<string>();

/** Screens the upload after those already queued; the promise settles when it is done (tests wait on it). */
export function queueOutreachScreening(id: string): Promise<void> {
  if (queued.has(id)) return chain;
  queued.add(id);
  chain = chain
    .then(() => screenUpload(id))
    .catch(() => undefined)
    .finally(() => queued.delete(id));
  return chain;
}

/** Settles when every queued screening has finished. */
export function outreachScreeningsSettled(): Promise<void> {
  return chain;
}

/** At start: screen again the uploads a restart interrupted (their files are still on disk). */
export async function resumeOutreachUploads(): Promise<void> {
  for (const id of await unfinishedUploadIds(db)) void queueOutreachScreening(id);
}
