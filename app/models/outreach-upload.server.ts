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

export async function startUpload(db: Db, id: string): Promise<void> {
  await db.outreachUpload.update({
    where: { id },
    data: { status: "running", bytesRead: 0, rowsRead: 0, malformed: 0, malformedSample: "[]", households: 0, flagged: 0, imported: 0, error: null },
    select: { id: true },
  });
}

export async function uploadProgress(
  db: Db,
  id: string,
  progress: Partial<{ bytesRead: number; rowsRead: number; malformed: number; malformedSample: MalformedSample[]; households: number; flagged: number; imported: number }>,
): Promise<void> {
  const { malformedSample, ...rest } = progress;
  await db.outreachUpload.update({
    where: { id },
    data: { ...rest, ...(malformedSample ? { malformedSample: JSON.stringify(malformedSample) } : {}) },
    select: { id: true },
  });
}

export async function finishUpload(db: Db, id: string, outcome: { status: "done" } | { status: "failed"; error: string }, now: Date = new Date()): Promise<void> {
  await db.outreachUpload.update({
    where: { id },
    data: { status: outcome.status, error: outcome.status === "failed" ? outcome.error : null, finishedAt: now },
    select: { id: true },
  });
}
