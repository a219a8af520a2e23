// The retention job (app/services/retention.server.ts) with a fake clock: for
// each kind of record, one row that is due (deleted, with its file) and one
// that is not (kept); open, approved, on-notice and active cases are never
// touched however old; one audit entry per run, counts only, chain intact.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CaseStatus } from "~/domain/case";
import { verifyAuditChain } from "~/services/audit.server";
import {
  config,
  resetConfigForTests,
  retentionFromEnv,
  type RetentionSettings,
} from "~/services/config.server";
import { db } from "~/services/db.server";
import { lastRetentionRun, runRetention, startRetentionSchedule } from "~/services/retention.server";
import {
  APPLICANT_ID,
  filesIn,
  makeTemporaryUploadDir,
} from "../applications/helpers";

const DAY = 24 * 60 * 60_000;
const NOW = new Date("2030-06-15T02:00:00.000Z");
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const SETTINGS: RetentionSettings = {
  closedCaseDays: 730,
  uploadDays: 30,
  conversationDays: 90,
  callbackDays: 180,
  outboxBodyDays: 30,
  outboxDays: 365,
  journeyDays: 365,
  idempotencyDays: 30,
};

let uploadDir: string;
let serial = 0;

function storedName(ext = "jpg"): string {
  return `${crypto.randomBytes(16).toString("hex")}.${ext}`;
}

/** A file in the upload directory with its modification time set to `at`. */
function writeFile(name: string, at: Date, bytes = "file-bytes"): void {
  const full = path.join(uploadDir, name);
  fs.writeFileSync(full, bytes);
  fs.utimesSync(full, at, at);
}

async function makeCase(
  status: CaseStatus,
  dates: { decidedAt?: Date; closedAt?: Date; updatedAt?: Date }
): Promise<{ id: string; file: string }> {
  serial += 1;
  const app = await db.application.create({
    data: {
      reference: `LA-RETN-${String(serial).padStart(4, "0")}`,
      status,
      channel: "web",
      language: "zh-CN",
      applicantName: "王秀英",
      applicantIdNumber: APPLICANT_ID,
      applicantPhone: "+8613800138000",
      household: '{"members":[]}',
      programs: '["dibao"]',
      results: "{}",
      rulesVersion: "test",
      submittedAt: ago(2000),
      decidedAt: dates.decidedAt ?? null,
      closedAt: dates.closedAt ?? null,
      events: {
        create: {
          type: "status",
          toStatus: status,
          actor: "resident",
          at: ago(2000),
        },
      },
    },
  });
  const file = storedName();
  writeFile(file, ago(2000));
  await db.evidence.create({
    data: {
      applicationId: app.id,
      type: "id_card",
      storedName: file,
      format: "jpeg",
      size: 10,
      sha256: "0".repeat(64),
      createdAt: ago(2000),
    },
  });
  if (dates.updatedAt)
    await db.$executeRaw`UPDATE "Application" SET "updatedAt" = ${dates.updatedAt} WHERE "id" = ${app.id}`;
  return { id: app.id, file };
}

async function makeDraft(
  id: string,
  { expiresAt, lastActivityAt }: { expiresAt: Date; lastActivityAt: Date }
): Promise<string> {
  await db.applicationDraft.create({
    data: {
      id,
      language: "zh-CN",
      expiresAt,
      lastActivityAt,
      phone: "+8613800138000",
    },
  });
  const file = storedName("pdf");
  writeFile(file, lastActivityAt);
  await db.evidence.create({
    data: {
      draftId: id,
      type: "income_proof",
      storedName: file,
      format: "pdf",
      size: 10,
      sha256: "0".repeat(64),
      createdAt: lastActivityAt,
    },
  });
  return file;
}

const exists = (name: string) => fs.existsSync(path.join(uploadDir, name));

describe("runRetention", () => {
  const ids: Record<string, string> = {};
  const files: Record<string, string> = {};

  beforeAll(async () => {
    uploadDir = makeTemporaryUploadDir();
    // Cases: closed long ago (due), closed recently (kept), and old cases in every other status (never touched).
    for (const [key, status, dates] of [
      ["rejectedOld", "rejected", { decidedAt: ago(731) }],
      [
        "withdrawnOld",
        "withdrawn",
        { closedAt: ago(800), updatedAt: ago(800) },
      ],
      ["withdrawnByResidentOld", "withdrawn", { updatedAt: ago(900) }],
      ["rejectedRecent", "rejected", { decidedAt: ago(729) }],
      // closed recently although decided long ago: the clock runs from the closing
      [
        "closedRecent",
        "withdrawn",
        { decidedAt: ago(1500), closedAt: ago(10) },
      ],
      ["active", "active", { decidedAt: ago(1900), updatedAt: ago(1900) }],
      [
        "publicNotice",
        "public_notice",
        { decidedAt: ago(1900), updatedAt: ago(1900) },
      ],
      ["approved", "approved", { decidedAt: ago(1900), updatedAt: ago(1900) }],
      ["open", "manual_review", { updatedAt: ago(1900) }],
    ] as const) {
      const made = await makeCase(status, dates);
      ids[key] = made.id;
      files[key] = made.file;
    }
    await db.noticeObjection.create({
      data: { applicationId: ids.rejectedOld, reason: "old objection" },
    });

    // Drafts: expired (due), live but idle past the upload limit (files due, draft kept), live and recent (kept).
    files.expiredDraft = await makeDraft("a".repeat(32), {
      expiresAt: ago(1),
      lastActivityAt: ago(31),
    });
    files.idleDraft = await makeDraft("b".repeat(32), {
      expiresAt: new Date(NOW.getTime() + DAY),
      lastActivityAt: ago(31),
    });
    files.freshDraft = await makeDraft("c".repeat(32), {
      expiresAt: new Date(NOW.getTime() + 20 * DAY),
      lastActivityAt: ago(2),
    });

    // A document row linked to nothing (due) and one made today (kept).
    for (const [key, at] of [
      ["unlinkedOld", ago(31)],
      ["unlinkedNew", ago(1)],
    ] as const) {
      files[key] = storedName();
      writeFile(files[key], at);
      await db.evidence.create({
        data: {
          type: "other",
          storedName: files[key],
          format: "jpeg",
          size: 10,
          sha256: "0".repeat(64),
          createdAt: at,
        },
      });
    }
    // Files with no row: old (due), young (kept: its row may be on its way); a crashed upload's leftover; a file that is not ours.
    files.orphanOld = storedName("png");
    writeFile(files.orphanOld, ago(31));
    files.orphanNew = storedName("png");
    writeFile(files.orphanNew, ago(1));
    files.partOld = `.upload-${"d".repeat(32)}.part`;
    writeFile(files.partOld, ago(2));
    files.notOurs = "README.txt";
    writeFile(files.notOurs, ago(5000));

    // One-time codes: used two days ago (due), expired two days ago (due), sent a minute ago (kept).
    await db.oneTimeCode.createMany({
      data: [
        {
          purpose: "track",
          phone: "+8613800138000",
          codeHash: "x",
          createdAt: ago(2),
          expiresAt: ago(2),
          usedAt: ago(2),
        },
        {
          purpose: "proxy_consent",
          phone: "+8613800138000",
          codeHash: "y",
          createdAt: ago(2),
          expiresAt: ago(2),
        },
        {
          purpose: "track",
          phone: "+8613800138000",
          codeHash: "z",
          createdAt: new Date(NOW.getTime() - 60_000),
          expiresAt: new Date(NOW.getTime() + 60_000),
        },
      ],
    });
    await db.checkDraft.createMany({
      data: [
        { id: "check-old", expiresAt: ago(1) },
        { id: "check-new", expiresAt: new Date(NOW.getTime() + DAY) },
      ],
    });
    await db.idempotencyRecord.createMany({
      data: [
        {
          key: "old",
          scope: "api",
          requestHash: "h",
          status: 201,
          body: "{}",
          createdAt: ago(31),
        },
        {
          key: "new",
          scope: "api",
          requestHash: "h",
          status: 201,
          body: "{}",
          createdAt: ago(29),
        },
      ],
    });
    await db.inboundMessage.createMany({
      data: [
        { sid: "SM-old", receivedAt: ago(31) },
        { sid: "SM-new", receivedAt: ago(1) },
      ],
    });
    await db.conversation.createMany({
      data: [
        {
          id: "sms:+8613800138000",
          channel: "sms",
          address: "+8613800138000",
          language: "zh-CN",
          transcript: '[{"from":"resident","text":"hi","at":"x"}]',
          lastMessageAt: ago(91),
        },
        {
          id: "sms:+8613900139000",
          channel: "sms",
          address: "+8613900139000",
          language: "zh-CN",
          lastMessageAt: ago(89),
        },
      ],
    });
    // BotState's updatedAt is @updatedAt: set the dates with raw SQL after the insert.
    await db.botState.createMany({
      data: [
        { key: "sms/conversations/+8613800138000/", value: "{}" },
        { key: "sms/conversations/+8613900139000/", value: "{}" },
        {
          key: "sms-in:000000000000001:000000001:SM-waiting",
          value: '{"from":"+8613800138000","body":"hi"}',
        },
      ],
    });
    await db.$executeRaw`UPDATE "BotState" SET "updatedAt" = ${ago(
      91
    )} WHERE "key" <> ${"sms/conversations/+8613900139000/"}`;
    await db.$executeRaw`UPDATE "BotState" SET "updatedAt" = ${ago(
      89
    )} WHERE "key" = ${"sms/conversations/+8613900139000/"}`;

    for (const [reference, status, completedAt] of [
      ["CB-OLD-DONE", "done", ago(181)],
      ["CB-NEW-DONE", "done", ago(179)],
      ["CB-OLD-QUEUED", "queued", null],
    ] as const) {
      const cb = await db.callbackRequest.create({
        data: {
          reference,
          phone: "+8613800138000",
          language: "zh-CN",
          source: "web_request",
          status,
          dueAt: ago(400),
          completedAt,
          createdAt: ago(400),
        },
      });
      await db.callAttempt.create({
        data: {
          callbackId: cb.id,
          staffUserId: "s",
          outcome: "no_answer",
          at: ago(400),
        },
      });
    }
    await db.$executeRaw`UPDATE "CallbackRequest" SET "updatedAt" = ${ago(
      400
    )}`;

    await db.outboxMessage.createMany({
      data: [
        {
          id: "text-ancient",
          to: "+8613800138000",
          body: "王秀英 LA-1",
          language: "zh-CN",
          status: "sent",
          createdAt: ago(366),
        },
        {
          id: "text-old",
          to: "+8613800138000",
          body: "王秀英 LA-2",
          language: "zh-CN",
          status: "sent",
          createdAt: ago(31),
        },
        {
          id: "text-failed",
          to: "+8613800138000",
          body: "王秀英 LA-3",
          language: "zh-CN",
          status: "failed",
          createdAt: ago(31),
        },
        {
          id: "text-new",
          to: "+8613800138000",
          body: "王秀英 LA-4",
          language: "zh-CN",
          status: "sent",
          createdAt: ago(29),
        },
        {
          id: "text-pending",
          to: "+8613800138000",
          body: "王秀英 LA-5",
          language: "zh-CN",
          status: "pending",
          createdAt: ago(400),
        },
      ],
    });
    await db.journeyStep.createMany({
      data: [
        { journey: "apply", draftId: "d-old", step: "who", at: ago(366) },
        { journey: "apply", draftId: "d-new", step: "who", at: ago(364) },
      ],
    });
  });

  it("deletes what is due and keeps the rest, rows and files", async () => {
    const auditBefore = await db.auditEntry.count();
    const counts = await runRetention(NOW, { settings: SETTINGS, uploadDir });

    // Cases
    const left = new Set(
      (await db.application.findMany({ select: { id: true } })).map((a) => a.id)
    );
    for (const key of [
      "rejectedOld",
      "withdrawnOld",
      "withdrawnByResidentOld",
    ]) {
      expect(left.has(ids[key]), key).toBe(false);
      expect(exists(files[key]), `${key}'s file`).toBe(false);
      expect(
        await db.caseEvent.count({ where: { applicationId: ids[key] } }),
        `${key}'s timeline`
      ).toBe(0);
      expect(
        await db.evidence.count({ where: { applicationId: ids[key] } }),
        `${key}'s documents`
      ).toBe(0);
    }
    expect(await db.noticeObjection.count()).toBe(0);
    for (const key of [
      "rejectedRecent",
      "closedRecent",
      "active",
      "publicNotice",
      "approved",
      "open",
    ]) {
      expect(left.has(ids[key]), key).toBe(true);
      expect(exists(files[key]), `${key}'s file`).toBe(true);
      expect(
        await db.caseEvent.count({ where: { applicationId: ids[key] } }),
        `${key}'s timeline`
      ).toBe(1);
      expect(
        await db.evidence.count({ where: { applicationId: ids[key] } }),
        `${key}'s documents`
      ).toBe(1);
    }
    expect(counts.closedCases).toBe(3);

    // Drafts and uploads
    expect(
      (await db.applicationDraft.findMany({ orderBy: { id: "asc" } })).map(
        (d) => d.id
      )
    ).toEqual(["b".repeat(32), "c".repeat(32)]);
    expect(exists(files.expiredDraft)).toBe(false);
    expect(exists(files.idleDraft)).toBe(false);
    expect(
      await db.evidence.count({ where: { draftId: "b".repeat(32) } })
    ).toBe(0);
    expect(exists(files.freshDraft)).toBe(true);
    expect(
      await db.evidence.count({ where: { draftId: "c".repeat(32) } })
    ).toBe(1);
    expect(exists(files.unlinkedOld)).toBe(false);
    expect(
      await db.evidence.count({ where: { storedName: files.unlinkedOld } })
    ).toBe(0);
    expect(exists(files.unlinkedNew)).toBe(true);
    expect(exists(files.orphanOld)).toBe(false);
    expect(exists(files.orphanNew)).toBe(true);
    expect(exists(files.partOld)).toBe(false);
    expect(exists(files.notOurs)).toBe(true);
    expect(counts).toMatchObject({
      expiredDrafts: 1,
      staleDraftFiles: 1,
      unlinkedEvidence: 1,
      orphanFiles: 2,
    });
    // 3 cases + expired draft + idle draft + unlinked row = 6 files with rows
    expect(counts.filesDeleted).toBe(6);
    // Every file left is named by a row, or young, or not ours.
    const rows = new Set(
      (await db.evidence.findMany({ select: { storedName: true } })).map(
        (e) => e.storedName
      )
    );
    for (const name of filesIn(uploadDir))
      expect(
        rows.has(name) || name === files.orphanNew || name === files.notOurs,
        name
      ).toBe(true);

    // Housekeeping
    expect((await db.oneTimeCode.findMany()).map((c) => c.codeHash)).toEqual([
      "z",
    ]);
    expect((await db.checkDraft.findMany()).map((c) => c.id)).toEqual([
      "check-new",
    ]);
    expect((await db.idempotencyRecord.findMany()).map((r) => r.key)).toEqual([
      "new",
    ]);
    expect((await db.inboundMessage.findMany()).map((r) => r.sid)).toEqual([
      "SM-new",
    ]);
    expect((await db.conversation.findMany()).map((c) => c.id)).toEqual([
      "sms:+8613900139000",
    ]);
    expect(
      (await db.botState.findMany({ orderBy: { key: "asc" } })).map(
        (b) => b.key
      )
    ).toEqual([
      "sms-in:000000000000001:000000001:SM-waiting",
      "sms/conversations/+8613900139000/",
    ]);
    expect(
      (
        await db.callbackRequest.findMany({ orderBy: { reference: "asc" } })
      ).map((c) => c.reference)
    ).toEqual(["CB-NEW-DONE", "CB-OLD-QUEUED"]);
    expect(await db.callAttempt.count()).toBe(2);
    const texts = Object.fromEntries(
      (await db.outboxMessage.findMany()).map((m) => [m.id, m.body])
    );
    expect(texts).toEqual({
      "text-old": "",
      "text-failed": "",
      "text-new": "王秀英 LA-4",
      "text-pending": "王秀英 LA-5",
    });
    expect((await db.journeyStep.findMany()).map((s) => s.draftId)).toEqual([
      "d-new",
    ]);
    expect(counts).toMatchObject({
      oneTimeCodes: 2,
      checkDrafts: 1,
      idempotencyRecords: 1,
      inboundMessages: 1,
      conversations: 1,
      botStates: 1,
      callbacks: 1,
      outboxBodiesBlanked: 3,
      outboxMessages: 1,
      journeySteps: 1,
    });

    // One audit entry, system actor, counts only; the chain still verifies.
    const entries = await db.auditEntry.findMany({
      where: { seq: { gt: auditBefore } },
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: "system",
      action: "retention_run",
      subjectType: "retention",
      subjectId: null,
    });
    expect(JSON.parse(entries[0].detail)).toMatchObject({
      counts: { closedCases: 3, filesDeleted: 6 },
      days: { closedCaseDays: 730 },
    });
    expect(entries[0].detail).not.toMatch(/13800138000|王秀英|LA-RETN|\d{17}/);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it("a second run at the same moment finds nothing more to delete", async () => {
    const counts = await runRetention(NOW, { settings: SETTINGS, uploadDir });
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  });

  it("two years later, the recently closed cases go too; active and open ones still stay", async () => {
    const later = new Date(NOW.getTime() + 730 * DAY);
    const counts = await runRetention(later, { settings: SETTINGS, uploadDir });
    expect(counts.closedCases).toBe(2);
    const left = (
      await db.application.findMany({
        select: { status: true },
        orderBy: { status: "asc" },
      })
    ).map((a) => a.status);
    expect(left).toEqual([
      "active",
      "approved",
      "manual_review",
      "public_notice",
    ]);
  });
});

describe("retention settings", () => {
  it("reads whole days from RETENTION_* and keeps the defaults for anything else", () => {
    expect(retentionFromEnv({})).toEqual(SETTINGS);
    const read = retentionFromEnv({
      RETENTION_CLOSED_CASE_DAYS: "365",
      RETENTION_UPLOAD_DAYS: "0",
      RETENTION_CONVERSATION_DAYS: "-5",
      RETENTION_CALLBACK_DAYS: "ten",
      RETENTION_JOURNEY_DAYS: " 7 ",
    });
    expect(read).toMatchObject({
      closedCaseDays: 365,
      uploadDays: 30,
      conversationDays: 90,
      callbackDays: 180,
      journeyDays: 7,
    });
  });

  it("config() carries them", () => {
    process.env.RETENTION_OUTBOX_BODY_DAYS = "14";
    resetConfigForTests();
    try {
      expect(config().retention.outboxBodyDays).toBe(14);
    } finally {
      delete process.env.RETENTION_OUTBOX_BODY_DAYS;
      resetConfigForTests();
    }
  });
});

describe("the daily schedule", () => {
  it("runs at a start only when the last run (any instance) is a day old or more", async () => {
    const before = await lastRetentionRun(db);
    const first = startRetentionSchedule({ db });
    first.stop();
    expect(await first.firstRun).toBe(before === null || Date.now() - before.getTime() >= 24 * 3600_000);
    const ranAt = await lastRetentionRun(db);
    expect(ranAt).not.toBeNull();

    // A restart an hour later: no second run, no second audit entry.
    const entries = await db.auditEntry.count({ where: { action: "retention_run" } });
    const restart = startRetentionSchedule({ db, now: () => new Date(ranAt!.getTime() + 3600_000) });
    restart.stop();
    expect(await restart.firstRun).toBe(false);
    expect(await db.auditEntry.count({ where: { action: "retention_run" } })).toBe(entries);

    // A start a day and a minute later runs it.
    const later = startRetentionSchedule({ db, now: () => new Date(ranAt!.getTime() + 24 * 3600_000 + 60_000) });
    later.stop();
    expect(await later.firstRun).toBe(true);
    expect(await db.auditEntry.count({ where: { action: "retention_run" } })).toBe(entries + 1);
  });
});
