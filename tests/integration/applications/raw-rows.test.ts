// The submission's hot path writes with raw SQL (application, first timeline
// event, receipt texts, idempotency record) and the outbox claims and marks
// texts with raw SQL. These tests read those rows back through typed Prisma
// (dates as Dates, JSON intact, the same stored date format as typed writes),
// check that a raw unique violation is recognised, that the writes are one
// all-or-nothing unit even when batched with others, that idempotency holds
// when many requests with one key arrive together, and that the API token
// cache forgets a revoked token.
import { describe, expect, it } from "vitest";
import { assessHousehold } from "~/domain/eligibility";
import { submitApplication, type SubmitApplicationInput } from "~/models/application.server";
import { createApiToken, findApiToken, revokeApiToken, TOKEN_CACHE_MS } from "~/models/api-token.server";
import { db, dialect, isUniqueViolation, newRowId } from "~/services/db.server";
import { groupCommit, groupCommitStats } from "~/services/group-commit.server";
import { withIdempotency } from "~/services/idempotency.server";
import { deliverDueTexts, queueText } from "~/services/outbox.server";
import { smsText } from "~/services/sms-text.server";
import type { SmsSender } from "~/services/sms-sender.server";
import { idNumber, POOR_HOUSEHOLD } from "./helpers";

const NOW = new Date("2026-03-02T02:00:00.123Z");

function input(n: number, overrides: Partial<SubmitApplicationInput> = {}): SubmitApplicationInput {
  return {
    applicant: { name: "王秀英", idNumber: idNumber(`110105194912310${String(n % 100).padStart(2, "0")}`), phone: `1380013${String(8000 + n)}`, language: "zh-CN" },
    onBehalfOf: { name: "李明", phone: "13900139000", relationship: "child", consent: "sms" },
    household: POOR_HOUSEHOLD,
    programs: ["dibao", "medical"],
    channel: "partner",
    actor: "partner:tok-raw",
    createdByTokenId: "tok-raw",
    ...overrides,
  };
}

async function counts() {
  return {
    applications: await db.application.count(),
    events: await db.caseEvent.count(),
    texts: await db.outboxMessage.count(),
    keys: await db.idempotencyRecord.count(),
  };
}

describe("rows written with raw SQL", () => {
  it("read back through typed Prisma: dates as Dates, JSON intact, nulls as nulls", async () => {
    const result = await submitApplication(db, input(1, { district: "gulou" }), NOW);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const row = await db.application.findUniqueOrThrow({ where: { id: result.id }, include: { events: true } });
    expect(row.id).toMatch(/^c[0-9a-z]{24}$/);
    expect(row.submittedAt).toBeInstanceOf(Date);
    expect(row.submittedAt.getTime()).toBe(NOW.getTime());
    expect(row.createdAt.getTime()).toBe(NOW.getTime());
    expect(row.proxyConsentAt?.getTime()).toBe(NOW.getTime());
    expect(row.updatedAt).toBeInstanceOf(Date);
    expect(Math.abs(row.updatedAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(row).toMatchObject({
      reference: result.reference,
      status: "submitted",
      channel: "partner",
      language: "zh-CN",
      district: "gulou",
      createdByTokenId: "tok-raw",
      outreachLeadId: null,
      proxyRevokedAt: null,
      decidedAt: null,
      assignedToId: null,
      noticeEndsAt: null,
    });
    expect(JSON.parse(row.household)).toEqual(POOR_HOUSEHOLD);
    expect(JSON.parse(row.programs)).toEqual(["dibao", "medical"]);
    expect(JSON.parse(row.results)).toEqual(assessHousehold(POOR_HOUSEHOLD, "2026-03-02"));
    expect(row.events).toHaveLength(1);
    expect(row.events[0]).toMatchObject({ type: "status", fromStatus: null, toStatus: "submitted", actor: "partner:tok-raw", detail: "{}" });
    expect(row.events[0].at.getTime()).toBe(NOW.getTime());

    const texts = await db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `receipt:${result.reference}:` } }, orderBy: { to: "asc" } });
    expect(texts).toHaveLength(2);
    for (const text of texts) {
      expect(text).toMatchObject({ channel: "sms", status: "pending", attempts: 0, language: "zh-CN", body: smsText("zh-CN", "applicationReceipt", { reference: result.reference }) });
      expect(text.createdAt).toBeInstanceOf(Date);
      expect(text.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    }
  });

  it("store dates in the same text form as typed writes, so typed date filters and sorting find them", async () => {
    const earlier = new Date(NOW.getTime() - 1000);
    const later = new Date(NOW.getTime() + 1000);
    const a = await submitApplication(db, input(2), earlier);
    const b = await submitApplication(db, input(3), later);
    if (!a.ok || !b.ok) throw new Error("submission failed");
    const stored = await db.$queryRaw<Array<{ submittedAt: string }>>`SELECT CAST("submittedAt" AS TEXT) AS "submittedAt" FROM "Application" WHERE "id" = ${b.id}`;
    // The same instant written through typed Prisma is the reference form, on either database.
    await db.application.update({ where: { id: a.id }, data: { decidedAt: later } });
    const typed = await db.$queryRaw<Array<{ decidedAt: string }>>`SELECT CAST("decidedAt" AS TEXT) AS "decidedAt" FROM "Application" WHERE "id" = ${a.id}`;
    expect(stored[0].submittedAt).toBe(typed[0].decidedAt);
    // Prisma's own form for DateTime in SQLite (adapter-better-sqlite3, iso8601); PostgreSQL stores a typed TIMESTAMP(3) in UTC.
    expect(stored[0].submittedAt).toBe(dialect === "sqlite" ? later.toISOString().replace("Z", "+00:00") : later.toISOString().replace("T", " ").replace("Z", ""));
    const between = await db.application.findMany({
      where: { submittedAt: { gte: earlier, lte: later }, id: { in: [a.id, b.id] } },
      orderBy: { submittedAt: "desc" },
      select: { id: true },
    });
    expect(between.map((r) => r.id)).toEqual([b.id, a.id]);
    expect(await db.application.count({ where: { id: b.id, submittedAt: { gt: later } } })).toBe(0);
  });

  it("make ids shaped like Prisma's cuids that sort by time", () => {
    const first = newRowId(Date.UTC(2026, 0, 1));
    const second = newRowId(Date.UTC(2026, 0, 1) + 1);
    expect(first).toMatch(/^c[0-9a-z]{24}$/);
    expect(first < second).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newRowId(0))).size).toBe(1000);
  });

  it("make ids that sort in the order they were made within one millisecond, and when the clock steps back", () => {
    const ms = Date.UTC(2030, 0, 1);
    const ids = [newRowId(ms), newRowId(ms), newRowId(ms), newRowId(ms - 5), newRowId(ms)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("recognise a raw unique violation", async () => {
    await db.$executeRaw`INSERT INTO "IdempotencyRecord" ("key", "scope", "requestHash", "status", "body", "createdAt") VALUES ('dup', 'raw-test', 'h', 201, '{}', ${NOW})`;
    const error = await db.$executeRaw`INSERT INTO "IdempotencyRecord" ("key", "scope", "requestHash", "status", "body", "createdAt") VALUES ('dup', 'raw-test', 'h', 201, '{}', ${NOW})`.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(new Error("other"))).toBe(false);
    const record = await db.idempotencyRecord.findUniqueOrThrow({ where: { scope_key: { scope: "raw-test", key: "dup" } } });
    expect(record.createdAt.getTime()).toBe(NOW.getTime());
    expect(record.status).toBe(201);

    // withIdempotency losing a race (another process stored the key first): that raw error makes it replay the winner.
    const racing = { $transaction: () => Promise.reject(error), $queryRaw: db.$queryRaw.bind(db) } as unknown as typeof db;
    expect(await withIdempotency(racing, { scope: "raw-test", key: "dup", requestHash: "h" }, async () => ({ status: 201, body: {} }))).toEqual({
      kind: "replay",
      status: 201,
      body: {},
    });
  });
});

describe("one transaction, all or none", () => {
  it("undoes the application, its event and its texts when later work in the same transaction fails", async () => {
    const before = await counts();
    await expect(
      groupCommit(db, async (tx) => {
        const result = await submitApplication(tx, input(4), NOW);
        expect(result.ok).toBe(true);
        throw new Error("later step failed");
      }),
    ).rejects.toThrow("later step failed");
    expect(await counts()).toEqual(before);
  });

  it("keeps the others of a batch when one submission in it fails, and answers each with its own outcome", async () => {
    const taken = await submitApplication(db, input(5), NOW);
    if (!taken.ok) throw new Error("setup failed");
    const before = await counts();
    const statsBefore = groupCommitStats(db);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        // the fourth always draws a taken reference: it fails after trying, the rest go through
        submitApplication(db, input(10 + i), NOW, i === 3 ? { newReference: () => taken.reference } : {}),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    const after = await counts();
    expect(after.applications).toBe(before.applications + 7);
    expect(after.events).toBe(before.events + 7);
    expect(after.texts).toBe(before.texts + 14);
    // batched: fewer transactions than writes, even counting the rerun with savepoints
    const stats = groupCommitStats(db);
    expect(stats.transactions - statsBefore.transactions).toBeLessThan(8);
  });

  it("creates one case for many concurrent requests with one Idempotency-Key, and answers all of them alike", async () => {
    const before = await counts();
    const run = (tx: Parameters<Parameters<typeof withIdempotency>[2]>[0]) =>
      submitApplication(tx, input(30), NOW).then((r) => (r.ok ? { status: 201, body: { reference: r.reference } } : { status: 400, body: r.errors }));
    const outcomes = await Promise.all(Array.from({ length: 16 }, () => withIdempotency(db, { scope: "raw-test", key: "same-key", requestHash: "h1" }, run)));
    const references = new Set(outcomes.map((o) => (o.kind === "mismatch" ? null : (o.body as { reference: string }).reference)));
    expect(references.size).toBe(1);
    expect(outcomes.filter((o) => o.kind === "fresh")).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === "replay")).toHaveLength(15);
    const after = await counts();
    expect(after.applications).toBe(before.applications + 1);
    expect(after.keys).toBe(before.keys + 1);
    const stored = await db.idempotencyRecord.findUniqueOrThrow({ where: { scope_key: { scope: "raw-test", key: "same-key" } } });
    expect(stored.status).toBe(201);
    expect(JSON.parse(stored.body)).toEqual({ reference: [...references][0] });
  });
});

describe("outbox raw claims", () => {
  it("records each sent text with its own provider id in one go", async () => {
    await db.outboxMessage.deleteMany();
    const phones = ["+8613800000001", "+8613800000002", "+8613800000003"];
    for (const to of phones) await queueText(db, { to, body: "hello", language: "en" });
    const sender: SmsSender = { kind: "simulator", send: async ({ to }) => ({ providerId: `p-${to}` }) };
    const sentAt = new Date();
    expect(await deliverDueTexts(db, sender, sentAt)).toEqual({ claimed: 3, sent: 3, retrying: 0, failed: 0 });
    const rows = await db.outboxMessage.findMany({ orderBy: { to: "asc" } });
    expect(rows.map((r) => [r.to, r.status, r.providerId, r.attempts, r.sentAt?.getTime()])).toEqual(
      phones.map((to) => [to, "sent", `p-${to}`, 1, sentAt.getTime()]),
    );
    expect(await deliverDueTexts(db, sender, new Date())).toEqual({ claimed: 0, sent: 0, retrying: 0, failed: 0 });
  });
});

describe("API token cache", () => {
  it("answers from memory for a short time, forgets at once on revoke here, and rechecks after TOKEN_CACHE_MS", async () => {
    const one = await createApiToken(db, { name: "Cache test", scope: "partner" });
    const t0 = Date.now();
    expect(await findApiToken(db, one.token, t0)).toMatchObject({ id: one.id, scope: "partner" });
    await revokeApiToken(db, one.id);
    expect(await findApiToken(db, one.token, t0 + 1)).toBeNull();

    // A revoke by another process (a direct update here): honoured once the cached entry runs out.
    const two = await createApiToken(db, { name: "Cache test 2", scope: "partner" });
    expect(await findApiToken(db, two.token, t0)).toMatchObject({ id: two.id });
    await db.apiToken.update({ where: { id: two.id }, data: { revokedAt: new Date() } });
    expect(await findApiToken(db, two.token, t0 + TOKEN_CACHE_MS - 1)).toMatchObject({ id: two.id });
    expect(await findApiToken(db, two.token, t0 + TOKEN_CACHE_MS)).toBeNull();
  });
});
