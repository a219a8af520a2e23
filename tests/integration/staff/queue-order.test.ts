// The queue's pages against a plain reference: every page of every filter
// holds exactly the open items at its positions in the order due time, then
// priority (highest first), then oldest first. The seeded due times repeat a
// lot (real ones cluster at 17:00), so runs of equal due times cross page
// edges, and there are enough items for the deep-page path (past offset 1000)
// as well as the early-page one.
import { beforeAll, describe, expect, it } from "vitest";
import { QUEUE_PAGE_SIZE, type QueueFilter } from "~/domain/callback";
import { listQueue } from "~/models/callback.server";
import { db } from "~/services/db.server";

const NOW = new Date();
const HOUR = 3600_000;
const ITEMS = 1400;

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

let staffId: string;

beforeAll(async () => {
  await db.callbackRequest.deleteMany();
  const user = await db.staffUser.create({ data: { username: "queue-order", displayName: "Q", role: "caseworker", passwordHash: "!" } });
  staffId = user.id;
  const next = random(7);
  const base = Date.UTC(2026, 10, 20, 9, 0, 0);
  // Inserted in creation order (rowid follows createdAt, as in production).
  const data = Array.from({ length: ITEMS }, (_, n) => {
    const roll = next();
    const status = roll < 0.8 ? "queued" : roll < 0.93 ? "claimed" : "done";
    return {
      reference: `CB-${String(n).padStart(4, "0")}-TEST`,
      phone: `+8613800${String(n).padStart(6, "0")}`,
      language: "zh-CN",
      source: "web_request",
      // 40 distinct due times for 1,400 items: long runs of ties.
      dueAt: new Date(base + Math.floor(next() * 40) * HOUR),
      priority: Math.floor(next() * 4),
      status,
      claimedById: status === "claimed" && next() < 0.5 ? staffId : null,
      flaggedAt: next() < 0.2 ? NOW : null,
      createdAt: new Date(base - 30 * 24 * HOUR + n * 1000),
    };
  });
  await db.callbackRequest.createMany({ data });
});

async function reference(filter: QueueFilter, now: Date): Promise<string[]> {
  const all = await db.callbackRequest.findMany({ where: { status: { in: ["queued", "claimed"] } } });
  return all
    .filter((c) => {
      if (filter === "overdue") return c.dueAt < now;
      if (filter === "flagged") return c.flaggedAt !== null;
      if (filter === "mine") return c.status === "claimed" && c.claimedById === staffId;
      return true;
    })
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || b.priority - a.priority || a.createdAt.getTime() - b.createdAt.getTime())
    .map((c) => c.reference);
}

describe("queue pages", () => {
  for (const filter of ["all", "overdue", "flagged", "mine"] as const) {
    it(`${filter}: each page holds the items at its positions in queue order`, async () => {
      // Half the due times are before this moment, half after.
      const now = new Date(Date.UTC(2026, 10, 20, 9, 0, 0) + 20 * HOUR - 1);
      const expected = await reference(filter, now);
      expect(expected.length).toBeGreaterThan(filter === "all" ? 1050 : 0);
      const pages = Math.max(1, Math.ceil(expected.length / QUEUE_PAGE_SIZE));
      const seen: string[] = [];
      for (let page = 1; page <= pages; page++) {
        const list = await listQueue(db, { filter, staffId, page }, now);
        expect(list.total).toBe(expected.length);
        expect(list.pages).toBe(pages);
        expect(list.items.map((i) => i.reference)).toEqual(expected.slice((page - 1) * QUEUE_PAGE_SIZE, page * QUEUE_PAGE_SIZE));
        seen.push(...list.items.map((i) => i.reference));
      }
      expect(seen).toEqual(expected);
    });
  }

  it("reads the columns back as the typed client does (dates as Date, flags as booleans)", async () => {
    const list = await listQueue(db, { filter: "all", staffId, page: 25 }, NOW);
    expect(list.items.length).toBeGreaterThan(0);
    for (const item of list.items) {
      const typed = await db.callbackRequest.findUniqueOrThrow({ where: { reference: item.reference } });
      expect(item.dueAt).toBeInstanceOf(Date);
      expect(item.dueAt.getTime()).toBe(typed.dueAt.getTime());
      expect(item).toMatchObject({
        phone: typed.phone,
        status: typed.status,
        priority: typed.priority,
        urgent: typed.urgent,
        oldestAge: typed.oldestAge,
        failedAttempts: typed.failedAttempts,
        flagged: typed.flaggedAt !== null,
        claimedById: typed.claimedById,
      });
    }
  });
});
