// The work claims of issue 8 with two (and more) claimers at once, on the
// database this run uses (SQLite by default; PostgreSQL with
// LIFELINE_TEST_POSTGRES_URL): staff "take the next" call-back claims and the
// outbox's text claims never hand one row to two claimers, a claim takes no
// more rows than asked (on PostgreSQL a plain `IN (SELECT … LIMIT n FOR
// UPDATE SKIP LOCKED)` can take more: sql-dialect.server.ts), and a claim
// while another claim's transaction holds the top row: on PostgreSQL it
// skips that row and answers at once; on SQLite (one writer) it waits for
// that transaction and then takes the next row. The text inbox's claim keeps
// one phone's texts in order while another worker holds the earliest.
import { describe, expect, it } from "vitest";
import { Prisma } from "~/generated/prisma/client";
import { claimNextCallback, queueCallback } from "~/models/callback.server";
import { claimInboundTexts, inboundQueueKey, storeInboundTexts, waitingInboundTexts } from "~/models/inbound-message.server";
import { db, dialect, type Db } from "~/services/db.server";
import { deliverDueTexts, queueText } from "~/services/outbox.server";
import type { SmsSender } from "~/services/sms-sender.server";
import { claimPick } from "~/services/sql-dialect.server";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const HOUR = 3600_000;

async function staffUser(username: string): Promise<string> {
  const user = await db.staffUser.upsert({
    where: { username },
    update: {},
    create: { username, displayName: username, role: "caseworker", passwordHash: "!not-a-hash" },
    select: { id: true },
  });
  return user.id;
}

async function queueCallbacks(count: number, tag: string, now: Date): Promise<string[]> {
  const references: string[] = [];
  for (let i = 0; i < count; i++) {
    // Due times spread out, so the order of the queue is known.
    const result = await queueCallback(db, { phone: `+86139${tag}${String(i).padStart(6, "0")}`, language: "zh-CN", source: "web_request" }, new Date(now.getTime() + i * 60_000));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    references.push(result.reference);
  }
  return references;
}

/** Moves every queued call-back out of the way (a test starts with its own queue). */
async function clearQueue(): Promise<void> {
  await db.callbackRequest.updateMany({ where: { status: { in: ["queued", "claimed"] } }, data: { status: "done" } });
}

describe(`call-back claims (${dialect})`, () => {
  it("40 caseworkers taking the next at once out of 30: 30 distinct claims, each stored for its taker", async () => {
    await clearQueue();
    const references = await queueCallbacks(30, "01", new Date(Date.now() - 48 * HOUR));
    const staff = await Promise.all(Array.from({ length: 40 }, (_, i) => staffUser(`claims-worker-${i}`)));
    const results = await Promise.all(staff.map((id) => claimNextCallback(db, id)));
    const won = results.flatMap((r, i) => (r.ok ? [{ reference: r.reference, staffId: staff[i] }] : []));
    expect(won).toHaveLength(30);
    expect(new Set(won.map((w) => w.reference)).size).toBe(30);
    expect(new Set(won.map((w) => w.reference))).toEqual(new Set(references));
    for (const lost of results.filter((r) => !r.ok)) expect(["none", "taken"]).toContain(lost.ok ? "" : lost.reason);
    const rows = await db.callbackRequest.findMany({ where: { reference: { in: references } }, select: { reference: true, status: true, claimedById: true } });
    for (const row of rows) {
      expect(row.status).toBe("claimed");
      expect(row.claimedById).toBe(won.find((w) => w.reference === row.reference)?.staffId);
    }
    // Nothing left: the next claim says so.
    expect(await claimNextCallback(db, staff[0])).toEqual({ ok: false, reason: "none" });
  });

  it("with audit entries (as the page claims): 12 caseworkers at once out of 12 each get one, each claim audited once", async () => {
    await clearQueue();
    const references = await queueCallbacks(12, "03", new Date(Date.now() - 48 * HOUR));
    const staff = await Promise.all(Array.from({ length: 12 }, (_, i) => staffUser(`claims-audited-${i}`)));
    const results = await Promise.all(staff.map((id, i) => claimNextCallback(db, id, new Date(), { actor: `staff:${id}`, actorName: `claims-audited-${i}` })));
    // Every claim waits for the audit chain while holding its row; the others must not give up meanwhile.
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(results.map((r) => (r.ok ? r.reference : "")))).toEqual(new Set(references));
    const entries = await db.auditEntry.findMany({ where: { action: "claim_callback", subjectId: { in: references } }, select: { subjectId: true } });
    expect(entries.map((e) => e.subjectId).sort()).toEqual([...references].sort());
  });

  it("takes the most urgent first: due time, then priority, then oldest", async () => {
    await clearQueue();
    const now = new Date(Date.now() - 24 * HOUR);
    const later = await queueCallbacks(2, "02", now);
    const urgent = await queueCallback(db, { phone: "+8613900000299", language: "zh-CN", source: "web_request", urgent: true }, now);
    if (!urgent.ok) throw new Error("not queued");
    const me = await staffUser("claims-order");
    // An urgent request is due sooner than an ordinary one made at the same time.
    const at = new Date("2026-11-29T01:02:03.456Z");
    expect(await claimNextCallback(db, me, at)).toEqual({ ok: true, reference: urgent.reference });
    // Written with raw SQL, read back through typed Prisma as the same instants.
    const row = await db.callbackRequest.findUniqueOrThrow({ where: { reference: urgent.reference }, select: { claimedAt: true, updatedAt: true, claimedById: true } });
    expect(row).toEqual({ claimedAt: at, updatedAt: at, claimedById: me });
    expect(await claimNextCallback(db, me)).toEqual({ ok: true, reference: later[0] });
    expect(await claimNextCallback(db, me)).toEqual({ ok: true, reference: later[1] });
  });

  it(
    dialect === "postgresql"
      ? "a claim skips the top item while another claim's transaction holds it, without waiting"
      : "a claim waits while another claim's transaction holds the write lock, then takes the next item",
    async () => {
      await clearQueue();
      const [first, second] = await queueCallbacks(2, "03", new Date(Date.now() - 12 * HOUR));
      const [a, b] = await Promise.all([staffUser("claims-holder"), staffUser("claims-other")]);
      let releaseHolder!: () => void;
      const holding = new Promise<void>((resolve) => (releaseHolder = resolve));
      let holderClaimed!: () => void;
      const claimedInside = new Promise<void>((resolve) => (holderClaimed = resolve));
      let holderResult: unknown = null;
      const holder = db.$transaction(
        async (tx) => {
          holderResult = await claimNextCallback(tx as unknown as Db, a);
          holderClaimed();
          await holding;
        },
        { timeout: 20_000, maxWait: 20_000 },
      );
      await claimedInside;
      expect(holderResult).toEqual({ ok: true, reference: first });
      const started = Date.now();
      const other = claimNextCallback(db, b);
      let otherDone = false;
      void other.then(() => (otherDone = true));
      await sleep(1_000);
      if (dialect === "postgresql") {
        // SKIP LOCKED: the second claim did not wait for the first transaction.
        expect(otherDone).toBe(true);
        expect(Date.now() - started).toBeLessThan(1_000 + 500);
      } else {
        // One writer: the second claim waits for the transaction to end.
        expect(otherDone).toBe(false);
      }
      releaseHolder();
      await holder;
      expect(await other).toEqual({ ok: true, reference: second });
      const claimer = async (reference: string) => (await db.callbackRequest.findUniqueOrThrow({ where: { reference }, select: { claimedById: true } })).claimedById;
      expect([await claimer(first), await claimer(second)]).toEqual([a, b]);
    },
    30_000,
  );
});

function slowSender(sent: string[]): SmsSender {
  let n = 0;
  return {
    kind: "twilio",
    async send({ body }) {
      await sleep(2);
      sent.push(body);
      return { providerId: `SM-test-${++n}` };
    },
  } as SmsSender;
}

describe(`outbox claims (${dialect})`, () => {
  it("a claim takes at most its limit, in queue order", async () => {
    await db.outboxMessage.deleteMany({});
    for (let i = 1; i <= 5; i++) await queueText(db, { to: "+8613812345600", body: `limit text ${i}`, language: "zh-CN" });
    const sent: string[] = [];
    expect((await deliverDueTexts(db, slowSender(sent), new Date(), 3)).claimed).toBe(3);
    expect(sent).toEqual(["limit text 1", "limit text 2", "limit text 3"]);
    expect(await db.outboxMessage.count({ where: { status: "pending" } })).toBe(2);
  });

  it("six workers draining 300 texts at once send each exactly once", async () => {
    await db.outboxMessage.deleteMany({});
    await db.$transaction(async (tx) => {
      for (let i = 0; i < 300; i++) await queueText(tx, { to: `+86138${String(10_000_000 + i)}`, body: `drain text ${i}`, language: "zh-CN" });
    }, { timeout: 60_000, maxWait: 60_000 });
    const sent: string[] = [];
    const sender = slowSender(sent);
    const reports = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const claims: number[] = [];
        for (;;) {
          const report = await deliverDueTexts(db, sender, new Date(), 7);
          if (report.claimed === 0) return claims;
          claims.push(report.claimed);
        }
      }),
    );
    for (const claims of reports) for (const claimed of claims) expect(claimed).toBeLessThanOrEqual(7);
    expect(sent).toHaveLength(300);
    expect(new Set(sent).size).toBe(300);
    expect(await db.outboxMessage.count({ where: { status: "sent" } })).toBe(300);
    // Everyone got work: the claims ran side by side, not one worker draining alone.
    expect(reports.filter((claims) => claims.length > 0).length).toBeGreaterThan(1);
  }, 60_000);
});

describe(`claimPick (${dialect})`, () => {
  it("builds one statement that claims exactly the rows picked", async () => {
    await db.outboxMessage.deleteMany({});
    for (let i = 1; i <= 4; i++) await queueText(db, { to: "+8613812345601", body: `pick text ${i}`, language: "en" });
    const picked = claimPick(Prisma.sql`SELECT "id" FROM "OutboxMessage" WHERE "status" = 'pending' ORDER BY "createdAt" ASC, "id" ASC LIMIT 2`);
    const rows = await db.$queryRaw<Array<{ body: string }>>`
      ${picked.prefix}UPDATE "OutboxMessage" SET "status" = 'failed' WHERE "id" IN ${picked.ids} AND "status" = 'pending' RETURNING "body"`;
    expect(rows.map((r) => r.body).sort()).toEqual(["pick text 1", "pick text 2"]);
    expect(await db.outboxMessage.count({ where: { status: "pending" } })).toBe(2);
  });
});

describe(`text inbox claims (${dialect})`, () => {
  it(
    dialect === "postgresql"
      ? "while a worker answers a phone's first text, another takes other phones' texts at once but not that phone's next"
      : "a second worker waits for the first one's transaction, then takes what is left, in order",
    async () => {
      const at = new Date();
      const texts = [
        { sid: "SMclaimP1", from: "+8613700000001", body: "p1" },
        { sid: "SMclaimP2", from: "+8613700000001", body: "p2" },
        { sid: "SMclaimQ1", from: "+8613700000002", body: "q1" },
      ].map((t, i) => ({ ...t, receivedAt: at, key: inboundQueueKey(at, 900_000 + i, t.sid) }));
      await storeInboundTexts(db, texts);
      const waiting = (await waitingInboundTexts(db, 50)).filter((t) => t.sid.startsWith("SMclaim"));
      expect(waiting.map((t) => t.body)).toEqual(["p1", "p2", "q1"]);
      let release!: () => void;
      const holding = new Promise<void>((resolve) => (release = resolve));
      let tookFirst!: (keys: Set<string>) => void;
      const firstTook = new Promise<Set<string>>((resolve) => (tookFirst = resolve));
      const first = db.$transaction(
        async (tx) => {
          tookFirst(await claimInboundTexts(tx, waiting.slice(0, 1)));
          await holding;
        },
        { timeout: 20_000, maxWait: 20_000 },
      );
      expect([...(await firstTook)]).toEqual([waiting[0].key]);
      let secondDone = false;
      const second = db
        .$transaction((tx) => claimInboundTexts(tx, waiting), { timeout: 20_000, maxWait: 20_000 })
        .finally(() => (secondDone = true));
      await sleep(1_000);
      if (dialect === "postgresql") {
        expect(secondDone).toBe(true);
        // q1 only: p1 is held by the first worker, and p2 must wait for p1's turn.
        expect([...(await second)]).toEqual([waiting[2].key]);
        release();
        await first;
        // Now p2 is free to take.
        const third = await db.$transaction((tx) => claimInboundTexts(tx, waiting));
        expect([...third]).toEqual([waiting[1].key]);
      } else {
        expect(secondDone).toBe(false);
        release();
        await first;
        expect([...(await second)].sort()).toEqual([waiting[1].key, waiting[2].key].sort());
      }
      expect((await waitingInboundTexts(db, 50)).filter((t) => t.sid.startsWith("SMclaim"))).toEqual([]);
    },
    30_000,
  );
});
