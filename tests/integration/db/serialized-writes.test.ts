// A write acknowledged while another request's transaction is open must not
// be swallowed by that transaction (app/services/serialized-sqlite.server.ts).
import { expect, it } from "vitest";
import { db, prepareDatabase } from "~/services/db.server";

function callback(reference: string) {
  return {
    reference,
    phone: "+8613800000000",
    language: "zh-CN",
    source: "web_request",
    dueAt: new Date(),
  };
}

it("keeps a write made outside a transaction that later rolls back", async () => {
  await prepareDatabase();
  let outside: Promise<unknown> | null = null;
  const failing = db
    .$transaction(async (tx) => {
      await tx.callbackRequest.create({ data: callback("CB-TX-ROLLED-BACK") });
      // Another request writes while this transaction is open (then() starts
      // the lazy Prisma query now)…
      outside = db.callbackRequest.create({ data: callback("CB-OUTSIDE-WRITE") }).then((row) => row);
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error("roll back");
    })
    .catch((error: Error) => error.message);
  expect(await failing).toBe("roll back");
  await outside;
  const references = (await db.callbackRequest.findMany({ select: { reference: true } })).map((r) => r.reference);
  expect(references).toContain("CB-OUTSIDE-WRITE");
  expect(references).not.toContain("CB-TX-ROLLED-BACK");
});

it("still commits transactions and reads between them", async () => {
  await db.$transaction(async (tx) => {
    await tx.callbackRequest.create({ data: callback("CB-TX-COMMITTED") });
  });
  const [a, b] = await Promise.all([
    db.callbackRequest.count({ where: { reference: "CB-TX-COMMITTED" } }),
    db.$transaction(async (tx) => tx.callbackRequest.count()),
  ]);
  expect(a).toBe(1);
  expect(b).toBeGreaterThanOrEqual(1);
});
