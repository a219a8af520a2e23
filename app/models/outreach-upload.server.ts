// OutreachUpload rows: a departmental file uploaded in the staff console and
// its screening's progress and summary (rows read, malformed rows with the
// first few line numbers and reasons, households flagged, leads imported).
// The file itself and the screening are app/services/outreach-upload.server.ts.
import type { RowProblem } from "~/domain/outreach";
import type { Db } from "~/services/db.server";

export type UploadStatus = "queued" | "running" | "done" | "failed";

/** A malformed row as the summary keeps it: the line and the problem's code and values (never a row's content). */
export interface MalformedSample {
  line: number;
  problem: RowProblem;
}

/** How many malformed rows the summary lists. */
export const MALFORMED_SAMPLE_SIZE = 10;

export interface UploadView {
  id: string;
  uploadedById: string;
  fileName: string;
  bytes: number;
  status: UploadStatus;
  bytesRead: number;
  rowsRead: number;
  malformed: number;
  malformedSample: MalformedSample[];
  households: number;
  flagged: number;
  imported: number;
  dataDate: string;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

function readSample(text: string): MalformedSample[] {
  try {
    const raw: unknown = JSON.parse(text);
    if (!Array.isArray(raw)) return [];
    return raw.filter(
      (s): s is MalformedSample =>
        typeof s === "object" && s !== null && typeof (s as MalformedSample).line === "number" && typeof (s as MalformedSample).problem?.code === "string",
    );
  } catch {
    return [];
  }
}

function isStatus(value: string): value is UploadStatus {
  return value === "queued" || value === "running" || value === "done" || value === "failed";
}

export async function createUpload(db: Db, input: { id: string; uploadedById: string; fileName: string; bytes: number; dataDate: string }, now: Date = new Date()): Promise<void> {
  await db.outreachUpload.create({ data: { ...input, status: "queued", createdAt: now }, select: { id: true } });
}

export async function getUpload(db: Db, id: string): Promise<UploadView | null> {
  const row = await db.outreachUpload.findUnique({ where: { id } });
  if (!row) return null;
  return { ...row, status: isStatus(row.status) ? row.status : "failed", malformedSample: readSample(row.malformedSample) };
}

/** The latest uploads, newest first (the upload page lists them). */
export async function recentUploads(db: Db, take = 10): Promise<Array<Pick<UploadView, "id" | "fileName" | "status" | "dataDate" | "createdAt" | "flagged">>> {
  const rows = await db.outreachUpload.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take, select: { id: true, fileName: true, status: true, dataDate: true, createdAt: true, flagged: true } });
  return rows.map((r) => ({ ...r, status: isStatus(r.status) ? r.status : "failed" }));
}

/** Uploads a restart interrupted (queued or running), oldest first. */
export async function unfinishedUploadIds(db: Db): Promise<string[]> {
  const rows = await db.outreachUpload.findMany({ where: { status: { in: ["queued", "running"] } }, orderBy: { createdAt: "asc" }, select: { id: true } });
  return rows.map((r) => r.id);
}

/** How long a claim on an upload lasts; each progress write (about once a second) moves it on. */
export const UPLOAD_LEASE_MS = 2 * 60_000;

/**
 * Takes an unfinished upload for screening, from the start, unless another
 * instance holds it (its lease has not run out): one conditional update, so
 * of two instances resuming the same upload at start only one screens it.
 * False when it is finished or held elsewhere.
 */
export async function claimUpload(db: Db, id: string, now: Date = new Date()): Promise<boolean> {
  const { count } = await db.outreachUpload.updateMany({
    where: { id, status: { in: ["queued", "running"] }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: {
      status: "running",
      leaseUntil: new Date(now.getTime() + UPLOAD_LEASE_MS),
      bytesRead: 0,
      rowsRead: 0,
      malformed: 0,
      malformedSample: "[]",
      households: 0,
      flagged: 0,
      imported: 0,
      error: null,
    },
  });
  return count === 1;
}

export async function uploadProgress(
  db: Db,
  id: string,
  progress: Partial<{ bytesRead: number; rowsRead: number; malformed: number; malformedSample: MalformedSample[]; households: number; flagged: number; imported: number }>,
): Promise<void> {
  const { malformedSample, ...rest } = progress;
  await db.outreachUpload.update({
    where: { id },
    data: {
      ...rest,
      ...(malformedSample ? { malformedSample: JSON.stringify(malformedSample) } : {}),
      leaseUntil: new Date(Date.now() + UPLOAD_LEASE_MS),
    },
    select: { id: true },
  });
}

export async function finishUpload(db: Db, id: string, outcome: { status: "done" } | { status: "failed"; error: string }, now: Date = new Date()): Promise<void> {
  await db.outreachUpload.update({
    where: { id },
    data: { status: outcome.status, error: outcome.status === "failed" ? outcome.error : null, finishedAt: now, leaseUntil: null },
    select: { id: true },
  });
}
