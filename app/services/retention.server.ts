// The retention job: deletes personal data that no longer has a reason to be
// kept, on the periods in config().retention (RETENTION_* variables, README
// "Retention"). Runs once at start and then daily (startRetentionSchedule,
// wired in app/server/background.server.ts); every run writes ONE audit entry
// (actor "system", counts only).
//
// What goes, and when:
// - rejected and withdrawn cases, closedCaseDays after the closing (closedAt),
//   else the decision (decidedAt), else the last change: the case, its
//   timeline, documents (rows and files) and objections. Cases in any other
//   status (open, approved, on notice, active) are never touched here.
// - expired application drafts with their files; files of drafts nobody has
//   touched for uploadDays; document rows linked to nothing; files in
//   UPLOAD_DIR that no row names (and upload leftovers) older than uploadDays.
// - used or expired one-time codes (after a day), expired eligibility-check
//   drafts, old idempotency records and text-message ids.
// - conversations and the bot's state silent for conversationDays (the queue
//   of texts still to answer is never touched); call-backs done or cancelled
//   callbackDays ago; the words of sent or failed texts after outboxBodyDays
//   (they hold names and references), the whole record after outboxDays; the
//   funnel's journey steps after journeyDays.
//
// Rows are deleted first, files after the commit: a crash in between leaves a
// file that no row names, which the next run's orphan sweep removes, never a
// row whose file is gone.
import fs from "node:fs";
import path from "node:path";
import type { Prisma } from "~/generated/prisma/client";
import { purgeInboundMessages } from "~/models/inbound-message.server";
import { recordAudit } from "./audit.server";
import { config, type RetentionSettings } from "./config.server";
import { db as defaultDb, type Db } from "./db.server";
import {
  deleteEvidenceFile,
  isStoredEvidenceName,
} from "./evidence-storage.server";

const DAY_MS = 24 * 60 * 60_000;
/** Cases and drafts are deleted this many at a time: one short transaction each. */
const BATCH = 200;
/** Statuses after which nothing more happens to a case (besides a review outside Lifeline). */
const CLOSED_STATUSES = ["rejected", "withdrawn"] as const;
/** Call-backs that are finished with. */
const FINISHED_CALLBACKS = ["done", "cancelled"] as const;
/** Texts the outbox is finished with. */
const FINISHED_TEXTS = ["sent", "failed"] as const;
/** One-time codes live minutes; a day later they count towards no limit either. */
const CODE_KEEP_MS = DAY_MS;
/** A temporary upload file (".upload-<hex>.part") older than this was left by a crash. */
const PART_KEEP_MS = DAY_MS;
/** Rows of the inbox queue (texts not answered yet) in BotState: never retention's to delete. */
const INBOX_QUEUE_PREFIX = "sms-in:";
const PART_FILE = /^\.upload-[0-9a-f]{32}\.part$/;

export interface RetentionCounts {
  closedCases: number;
  expiredDrafts: number;
  staleDraftFiles: number;
  unlinkedEvidence: number;
  orphanFiles: number;
  filesDeleted: number;
  oneTimeCodes: number;
  checkDrafts: number;
  idempotencyRecords: number;
  inboundMessages: number;
  conversations: number;
  botStates: number;
  callbacks: number;
  outboxBodiesBlanked: number;
  outboxMessages: number;
  journeySteps: number;
}

export interface RetentionOptions {
  db?: Db;
  settings?: RetentionSettings;
  uploadDir?: string;
}

function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** Removes stored files by name; returns how many were there to remove. A failure is counted out, never thrown (the next run tries again). */
async function deleteFiles(
  names: readonly string[],
  uploadDir: string
): Promise<number> {
  let deleted = 0;
  for (const name of names) {
    try {
      if (await deleteEvidenceFile(name, { uploadDir })) deleted += 1;
    } catch {
      // e.g. a permissions problem: the orphan sweep finds the file next time
    }
  }
  return deleted;
}

/** Closed cases whose time is up, a batch at a time; returns cases deleted and their files' names. */
async function deleteClosedCases(
  db: Db,
  cutoff: Date
): Promise<{ count: number; files: string[] }> {
  const where: Prisma.ApplicationWhereInput = {
    status: { in: [...CLOSED_STATUSES] },
    OR: [
      { closedAt: { lt: cutoff } },
      { closedAt: null, decidedAt: { lt: cutoff } },
      { closedAt: null, decidedAt: null, updatedAt: { lt: cutoff } },
    ],
  };
  let count = 0;
  const files: string[] = [];
  let stuck = false;
  for (;;) {
    const batch = await db.application.findMany({
      where,
      select: { id: true, evidence: { select: { storedName: true } } },
      take: BATCH,
    });
    if (batch.length === 0) break;
    const ids = batch.map((a) => a.id);
    await db.$transaction(async (tx) => {
      // The status is checked again inside the transaction: a case reopened meanwhile stays.
      await tx.oneTimeCode.deleteMany({
        where: { applicationId: { in: ids } },
      });
      await tx.outreachLead.updateMany({
        where: { applicationId: { in: ids } },
        data: { applicationId: null },
      });
      const { count: gone } = await tx.application.deleteMany({
        where: { AND: [where, { id: { in: ids } }] },
      });
      count += gone;
      stuck = gone === 0;
    });
    const still = new Set(
      (
        await db.application.findMany({
          where: { id: { in: ids } },
          select: { id: true },
        })
      ).map((a) => a.id)
    );
    for (const a of batch)
      if (!still.has(a.id)) files.push(...a.evidence.map((e) => e.storedName));
    if (batch.length < BATCH || stuck) break;
  }
  return { count, files };
}

/** Expired application drafts (their documents go with them). */
async function deleteExpiredDrafts(
  db: Db,
  now: Date
): Promise<{ count: number; files: string[] }> {
  let count = 0;
  const files: string[] = [];
  for (;;) {
    const batch = await db.applicationDraft.findMany({
      where: { expiresAt: { lt: now } },
      select: { id: true, evidence: { select: { storedName: true } } },
      take: BATCH,
    });
    if (batch.length === 0) break;
    const { count: gone } = await db.applicationDraft.deleteMany({
      where: { id: { in: batch.map((d) => d.id) }, expiresAt: { lt: now } },
    });
    count += gone;
    files.push(...batch.flatMap((d) => d.evidence.map((e) => e.storedName)));
    if (batch.length < BATCH || gone === 0) break;
  }
  return { count, files };
}

/** Document rows picked by `where` (never one of a case), deleted with their names returned. */
async function deleteEvidenceRows(
  db: Db,
  where: Prisma.EvidenceWhereInput
): Promise<{ count: number; files: string[] }> {
  const safe: Prisma.EvidenceWhereInput = {
    AND: [where, { applicationId: null }],
  };
  const rows = await db.evidence.findMany({
    where: safe,
    select: { id: true, storedName: true },
  });
  if (rows.length === 0) return { count: 0, files: [] };
  const { count } = await db.evidence.deleteMany({
    where: { AND: [safe, { id: { in: rows.map((r) => r.id) } }] },
  });
  return { count, files: rows.map((r) => r.storedName) };
}

/** Files in the upload directory that no document row names, and crashed uploads' leftovers, older than the limits. */
async function deleteOrphanFiles(
  db: Db,
  uploadDir: string,
  now: Date,
  cutoff: Date
): Promise<number> {
  let names: string[];
  try {
    names = await fs.promises.readdir(uploadDir);
  } catch {
    return 0;
  }
  const partCutoff = now.getTime() - PART_KEEP_MS;
  const old: string[] = [];
  let parts = 0;
  for (const name of names) {
    const stored = isStoredEvidenceName(name);
    if (!stored && !PART_FILE.test(name)) continue;
    const full = path.join(uploadDir, name);
    const stat = await fs.promises.lstat(full).catch(() => null);
    if (!stat?.isFile()) continue;
    if (stored) {
      // Young files are left alone: one may be stored a moment before its row is written.
      if (stat.mtime.getTime() < cutoff.getTime()) old.push(name);
    } else if (stat.mtime.getTime() < partCutoff) {
      parts += await fs.promises.rm(full, { force: true }).then(
        () => 1,
        () => 0
      );
    }
  }
  const known = new Set<string>();
  for (let i = 0; i < old.length; i += BATCH) {
    const rows = await db.evidence.findMany({
      where: { storedName: { in: old.slice(i, i + BATCH) } },
      select: { storedName: true },
    });
    for (const r of rows) known.add(r.storedName);
  }
  return (
    (await deleteFiles(
      old.filter((n) => !known.has(n)),
      uploadDir
    )) + parts
  );
}

/**
 * Deletes everything that is due at `now` and returns how many of each kind
 * went. Writes one audit entry with the counts. Safe to run on several app
 * instances at once (each delete is idempotent).
 */
export async function runRetention(
  now: Date = new Date(),
  options: RetentionOptions = {}
): Promise<RetentionCounts> {
  const db = options.db ?? defaultDb;
  const settings = options.settings ?? config().retention;
  const uploadDir = path.resolve(options.uploadDir ?? config().uploadDir);
  const uploadCutoff = daysBefore(now, settings.uploadDays);

  const cases = await deleteClosedCases(
    db,
    daysBefore(now, settings.closedCaseDays)
  );
  const drafts = await deleteExpiredDrafts(db, now);
  const stale = await deleteEvidenceRows(db, {
    draft: { lastActivityAt: { lt: uploadCutoff } },
  });
  const unlinked = await deleteEvidenceRows(db, {
    draftId: null,
    createdAt: { lt: uploadCutoff },
  });
  const filesDeleted = await deleteFiles(
    [...cases.files, ...drafts.files, ...stale.files, ...unlinked.files],
    uploadDir
  );
  const orphanFiles = await deleteOrphanFiles(db, uploadDir, now, uploadCutoff);

  const codeCutoff = new Date(now.getTime() - CODE_KEEP_MS);
  const oneTimeCodes = await db.oneTimeCode.deleteMany({
    where: {
      createdAt: { lt: codeCutoff },
      OR: [{ usedAt: { not: null } }, { expiresAt: { lt: now } }],
    },
  });
  const checkDrafts = await db.checkDraft.deleteMany({
    where: { expiresAt: { lt: now } },
  });
  const idempotencyRecords = await db.idempotencyRecord.deleteMany({
    where: { createdAt: { lt: daysBefore(now, settings.idempotencyDays) } },
  });
  const inboundMessages = await purgeInboundMessages(db, now);

  const conversationCutoff = daysBefore(now, settings.conversationDays);
  const conversations = await db.conversation.deleteMany({
    where: { lastMessageAt: { lt: conversationCutoff } },
  });
  const botStates = await db.botState.deleteMany({
    where: {
      updatedAt: { lt: conversationCutoff },
      NOT: { key: { startsWith: INBOX_QUEUE_PREFIX } },
    },
  });

  const callbackCutoff = daysBefore(now, settings.callbackDays);
  const callbacks = await db.callbackRequest.deleteMany({
    where: {
      status: { in: [...FINISHED_CALLBACKS] },
      OR: [
        { completedAt: { lt: callbackCutoff } },
        { completedAt: null, updatedAt: { lt: callbackCutoff } },
      ],
    },
  });

  const outboxBodiesBlanked = await db.outboxMessage.updateMany({
    where: {
      status: { in: [...FINISHED_TEXTS] },
      createdAt: { lt: daysBefore(now, settings.outboxBodyDays) },
      NOT: { body: "" },
    },
    data: { body: "" },
  });
  const outboxMessages = await db.outboxMessage.deleteMany({
    where: {
      status: { in: [...FINISHED_TEXTS] },
      createdAt: { lt: daysBefore(now, settings.outboxDays) },
    },
  });
  const journeySteps = await db.journeyStep.deleteMany({
    where: { at: { lt: daysBefore(now, settings.journeyDays) } },
  });

  const counts: RetentionCounts = {
    closedCases: cases.count,
    expiredDrafts: drafts.count,
    staleDraftFiles: stale.count,
    unlinkedEvidence: unlinked.count,
    orphanFiles,
    filesDeleted,
    oneTimeCodes: oneTimeCodes.count,
    checkDrafts: checkDrafts.count,
    idempotencyRecords: idempotencyRecords.count,
    inboundMessages,
    conversations: conversations.count,
    botStates: botStates.count,
    callbacks: callbacks.count,
    outboxBodiesBlanked: outboxBodiesBlanked.count,
    outboxMessages: outboxMessages.count,
    journeySteps: journeySteps.count,
  };
  await recordAudit(
    db,
    {
      actor: "system",
      action: "retention_run",
      subjectType: "retention",
      detail: { counts, days: { ...settings } },
    },
    now
  );
  return counts;
}

const RUN_EVERY_MS = DAY_MS;

/** When the job last ran on this database (any instance), from its audit entry; null if never. */
export async function lastRetentionRun(db: Db = defaultDb): Promise<Date | null> {
  const last = await db.auditEntry.findFirst({ where: { action: "retention_run" }, orderBy: { seq: "desc" }, select: { at: true } });
  return last?.at ?? null;
}

/**
 * Runs the job once a day (the timer does not keep the process alive). A
 * start does not run it again when a run (by this or another instance) is less
 * than a day old: restarts and several instances would otherwise each add a
 * run, and an audit entry, at every start. Failures are logged by name only,
 * never with data; the next run tries again. `firstRun` settles with whether
 * the start ran it.
 */
export function startRetentionSchedule(options: { db?: Db; now?: () => Date } = {}): { stop(): void; firstRun: Promise<boolean> } {
  const now = options.now ?? (() => new Date());
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const run = () =>
    runRetention(now(), { db: options.db }).catch((error: unknown) =>
      console.error("Retention run failed:", error instanceof Error ? error.name : "error"),
    );
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      void run().finally(() => schedule(RUN_EVERY_MS));
    }, delay);
    timer.unref();
  };
  const firstRun = lastRetentionRun(options.db)
    .catch(() => null)
    .then(async (last) => {
      const sinceLast = last ? now().getTime() - last.getTime() : Infinity;
      if (sinceLast < RUN_EVERY_MS) {
        schedule(RUN_EVERY_MS - sinceLast);
        return false;
      }
      await run();
      schedule(RUN_EVERY_MS);
      return true;
    });
  return {
    firstRun,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
