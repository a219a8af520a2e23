// Concurrent submissions share one transaction (app/services/group-commit.server.ts):
// each caller gets its own result or its own error, a failed write is undone
// alone, and fewer transactions (fsyncs) are needed than writes.
import { afterEach, expect, it } from "vitest";
import { db, prepareDatabase } from "~/services/db.server";
import type { Db } from "~/services/db.server";
import { groupCommit, groupCommitStats } from "~/services/group-commit.server";

function callback(reference: string) {
  return {
    reference,
    phone: "+8613800000000",
    language: "zh-CN",
    source: "web_request",
    dueAt: new Date(),
  };
}

async function references(): Promise<string[]> {
  return (
    await db.callbackRequest.findMany({
      select: { reference: true },
      orderBy: { reference: "asc" },
    })
  ).map((r) => r.reference);
}

afterEach(async () => {
  await db.callbackRequest.deleteMany();
});

it("answers each caller with its own result, in fewer transactions than writes", async () => {
  await prepareDatabase();
  const before = groupCommitStats(db);
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      groupCommit(db, async (tx) => {
        const row = await tx.callbackRequest.create({
          data: callback(`CB-GC-${String(i).padStart(2, "0")}`),
          select: { reference: true },
        });
        return row.reference;
      })
    )
  );
  expect(results).toEqual(
    Array.from({ length: 20 }, (_, i) => `CB-GC-${String(i).padStart(2, "0")}`)
  );
  expect(await references()).toHaveLength(20);
  const after = groupCommitStats(db);
  expect(after.writes - before.writes).toBe(20);
  expect(after.transactions - before.transactions).toBeGreaterThanOrEqual(1);
  expect(after.transactions - before.transactions).toBeLessThan(20);
});

it("undoes a failing write alone: the others in its batch are kept", async () => {
  const outcomes = await Promise.allSettled(
    ["CB-KEEP-1", "CB-FAIL", "CB-KEEP-2"].map((reference) =>
      groupCommit(db, async (tx) => {
        await tx.callbackRequest.create({ data: callback(reference) });
        if (reference === "CB-FAIL") throw new Error("refused after writing");
        return reference;
      })
    )
  );
  expect(outcomes.map((o) => o.status)).toEqual([
    "fulfilled",
    "rejected",
    "fulfilled",
  ]);
  expect((outcomes[1] as PromiseRejectedResult).reason).toHaveProperty(
    "message",
    "refused after writing"
  );
  expect(await references()).toEqual(["CB-KEEP-1", "CB-KEEP-2"]);
});

it("keeps the batch going after a unique-key clash inside it", async () => {
  await db.callbackRequest.create({ data: callback("CB-TAKEN") });
  const outcomes = await Promise.allSettled(
    ["CB-NEW-1", "CB-TAKEN", "CB-NEW-2"].map((reference) =>
      groupCommit(db, (tx) =>
        tx.callbackRequest.create({ data: callback(reference) })
      )
    )
  );
  expect(outcomes.map((o) => o.status)).toEqual([
    "fulfilled",
    "rejected",
    "fulfilled",
  ]);
  expect((outcomes[1] as PromiseRejectedResult).reason).toHaveProperty(
    "code",
    "P2002"
  );
  expect(await references()).toEqual(["CB-NEW-1", "CB-NEW-2", "CB-TAKEN"]);
});

it("tells every caller when their shared transaction fails", async () => {
  // A client whose second transaction fails to start: the first runs alone
  // (nothing was waiting), the two that arrive meanwhile share the second.
  let calls = 0;
  const flaky = {
    $transaction: async (fn: (tx: unknown) => Promise<unknown>) => {
      calls++;
      if (calls === 2) throw new Error("database is locked");
      await new Promise((resolve) => setTimeout(resolve, 20));
      return fn({ $executeRawUnsafe: async () => 0 });
    },
  } as unknown as Db;
  const first = groupCommit(flaky, async () => "first");
  // The first batch starts at the end of this turn of the event loop.
  await new Promise((resolve) => setImmediate(resolve));
  const later = ["second", "third"].map((name) =>
    groupCommit(flaky, async () => name)
  );
  const outcomes = await Promise.allSettled([first, ...later]);
  expect(outcomes.map((o) => o.status)).toEqual([
    "fulfilled",
    "rejected",
    "rejected",
  ]);
  expect((outcomes[1] as PromiseRejectedResult).reason).toHaveProperty(
    "message",
    "database is locked"
  );
  expect(groupCommitStats(flaky)).toEqual({ transactions: 2, writes: 3 });
  // The next write is not stuck behind the failed batch.
  await expect(groupCommit(flaky, async () => "later")).resolves.toBe("later");
});

it("puts the writes that arrive in one turn of the event loop into one transaction", async () => {
  let transactions = 0;
  const counting = {
    $transaction: async (fn: (tx: unknown) => Promise<unknown>) => {
      transactions++;
      return fn({ $executeRawUnsafe: async () => 0 });
    },
  } as unknown as Db;
  const values = await Promise.all(
    ["a", "b", "c", "d"].map((name) => groupCommit(counting, async () => name))
  );
  expect(values).toEqual(["a", "b", "c", "d"]);
  expect(transactions).toBe(1);
});
