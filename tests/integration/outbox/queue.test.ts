// queueText: a pending text per call, one per dedupeKey, and nothing at all
// when the transaction it was queued in rolls back.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/services/db.server";
import { queueText } from "~/services/outbox.server";

const TO = "+8613812345678";

beforeEach(async () => {
  await db.outboxMessage.deleteMany();
});

describe("queueText", () => {
  it("stores a pending text that is due at once", async () => {
    const before = Date.now();
    const { id, duplicate } = await queueText(db, { to: TO, body: "你好", language: "zh-CN" });
    expect(duplicate).toBe(false);
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ channel: "sms", to: TO, body: "你好", language: "zh-CN", status: "pending", attempts: 0, dedupeKey: null, sentAt: null });
    expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("queues a dedupeKey once and gives the first text's id to a repeat", async () => {
    const first = await queueText(db, { to: TO, body: "receipt", language: "en", dedupeKey: "receipt:LA-7K4M-Q9XA" });
    const again = await queueText(db, { to: TO, body: "receipt, again", language: "en", dedupeKey: "receipt:LA-7K4M-Q9XA" });
    expect(again).toEqual({ id: first.id, duplicate: true });
    const rows = await db.outboxMessage.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0].body).toBe("receipt");
    // Texts without a key, or with another key, are all kept.
    await queueText(db, { to: TO, body: "a", language: "en" });
    await queueText(db, { to: TO, body: "a", language: "en" });
    await queueText(db, { to: TO, body: "b", language: "en", dedupeKey: "receipt:LA-2345-6789" });
    expect(await db.outboxMessage.count()).toBe(4);
  });

  it("dedupes repeats queued at the same moment", async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => queueText(db, { to: TO, body: "code", language: "en", dedupeKey: "same-moment" })),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await db.outboxMessage.count()).toBe(1);
  });

  it("is part of the caller's transaction: a rollback leaves no text", async () => {
    await expect(
      db.$transaction(async (tx) => {
        await queueText(tx, { to: TO, body: "receipt", language: "en", dedupeKey: "receipt:rolled-back" });
        expect(await tx.outboxMessage.count()).toBe(1);
        throw new Error("the application could not be saved");
      }),
    ).rejects.toThrow("the application could not be saved");
    expect(await db.outboxMessage.count()).toBe(0);

    // The key is free again after the rollback, and a committed transaction keeps its text.
    const kept = await db.$transaction(async (tx) => queueText(tx, { to: TO, body: "receipt", language: "en", dedupeKey: "receipt:rolled-back" }));
    expect(kept.duplicate).toBe(false);
    expect(await db.outboxMessage.count()).toBe(1);
  });

  it("refuses a number that is not E.164, an empty text and an unknown language, without echoing them", async () => {
    await expect(queueText(db, { to: "13812345678", body: "x", language: "en" })).rejects.toThrow(/E\.164/);
    await expect(queueText(db, { to: TO, body: "  ", language: "en" })).rejects.toThrow(/empty/);
    await expect(queueText(db, { to: TO, body: "x", language: "fr" as "en" })).rejects.toThrow(/language/);
    await expect(queueText(db, { to: "13812345678", body: "x", language: "en" })).rejects.not.toThrow(/1381234/);
    expect(await db.outboxMessage.count()).toBe(0);
  });
});
