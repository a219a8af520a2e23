// API tokens (hash only, revocation, the demo seed) and withIdempotency on its
// own: the stored answer, the rollback of work whose answer cannot be stored,
// and the path where another process's request with the same key wins.
import { describe, expect, it } from "vitest";
import { createApiToken, findApiToken, hashApiToken, revokeApiToken } from "~/models/api-token.server";
import { requireApiToken } from "~/services/api-auth.server";
import { db, type Db } from "~/services/db.server";
import { readIdempotencyKey, requestHash, withIdempotency } from "~/services/idempotency.server";
import { DEMO_PARTNER_TOKEN, seedDatabase } from "../../../prisma/seed";
import { bearer } from "./helpers";

describe("API tokens", () => {
  it("finds a live token by its clear value, and nothing once it is revoked", async () => {
    const made = await createApiToken(db, { name: "  Riverside NGO ", scope: "partner" });
    expect(made.token).toMatch(/^ll_[A-Za-z0-9_-]{43}$/);
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: made.id } });
    expect(row).toMatchObject({ name: "Riverside NGO", scope: "partner", tokenHash: hashApiToken(made.token), revokedAt: null });
    expect(await findApiToken(db, made.token)).toEqual({ id: made.id, scope: "partner", name: "Riverside NGO" });
    expect(await findApiToken(db, made.token.slice(0, -1))).toBeNull();
    expect(await findApiToken(db, "")).toBeNull();
    expect(await revokeApiToken(db, made.id)).toBe(true);
    expect(await revokeApiToken(db, made.id)).toBe(false);
    expect(await findApiToken(db, made.token)).toBeNull();
  });

  it("makes a different token every time", async () => {
    const a = await createApiToken(db, { name: "A", scope: "staff" });
    const b = await createApiToken(db, { name: "B", scope: "staff" });
    expect(a.token).not.toBe(b.token);
  });

  it("refuses an unknown scope or an empty name", async () => {
    await expect(createApiToken(db, { name: "x", scope: "admin" as never })).rejects.toThrow(/scope/);
    await expect(createApiToken(db, { name: " ", scope: "partner" })).rejects.toThrow(/name/);
  });

  it("gives the scopes requireApiToken allows, and 403 for the others", async () => {
    const partner = await createApiToken(db, { name: "P", scope: "partner" });
    const request = () => new Request("http://localhost/", { headers: bearer(partner.token) });
    expect(await requireApiToken(request(), { scopes: ["partner", "staff"] })).toEqual({ kind: "token", id: partner.id, scope: "partner" });
    const thrown = await requireApiToken(request(), { scopes: ["staff"] }).catch((r: unknown) => r);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(403);
    expect(await requireApiToken(new Request("http://localhost/", { headers: bearer(process.env.STAFF_API_TOKEN!) }), { scopes: ["staff"] })).toEqual({ kind: "env-staff" });
  });

  it("seeds the demo partner token in demo mode only (hash only, idempotent), and retires it outside demo mode", async () => {
    await seedDatabase(db, { demo: true });
    await seedDatabase(db, { demo: true });
    const rows = await db.apiToken.findMany({ where: { tokenHash: hashApiToken(DEMO_PARTNER_TOKEN) } });
    expect(rows).toHaveLength(1);
    expect(await findApiToken(db, DEMO_PARTNER_TOKEN)).toMatchObject({ scope: "partner" });
    expect(await db.apiToken.count({ where: { tokenHash: DEMO_PARTNER_TOKEN } })).toBe(0);
    await seedDatabase(db, { demo: false });
    expect(await findApiToken(db, DEMO_PARTNER_TOKEN)).toBeNull();
  });
});

describe("Idempotency-Key header", () => {
  const read = (value?: string) => readIdempotencyKey(new Request("http://localhost/", { headers: value === undefined ? {} : { "Idempotency-Key": value } }));
  it("is optional, trimmed, at most 255 visible ASCII characters", () => {
    expect(read()).toEqual({ ok: true, key: null });
    expect(read(" abc-123 ")).toEqual({ ok: true, key: "abc-123" });
    expect(read("x".repeat(255))).toEqual({ ok: true, key: "x".repeat(255) });
    expect(read("x".repeat(256))).toEqual({ ok: false, error: "tooLong" });
    expect(read("")).toEqual({ ok: false, error: "invalid" });
  });

  it("hashes the same data in any key order to the same fingerprint", () => {
    expect(requestHash({ a: 1, b: { c: [1, 2], d: "x" } })).toBe(requestHash({ b: { d: "x", c: [1, 2] }, a: 1 }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
    expect(requestHash({ a: [1, 2] })).not.toBe(requestHash({ a: [2, 1] }));
  });
});

describe("withIdempotency", () => {
  const scope = "test";

  it("stores a successful answer with the work and replays it without running again", async () => {
    let runs = 0;
    const run = async () => {
      runs++;
      return { status: 201, body: { n: runs } };
    };
    const first = await withIdempotency(db, { scope, key: "k1", requestHash: "h" }, run);
    const again = await withIdempotency(db, { scope, key: "k1", requestHash: "h" }, run);
    expect(first).toEqual({ kind: "fresh", status: 201, body: { n: 1 } });
    expect(again).toEqual({ kind: "replay", status: 201, body: { n: 1 } });
    expect(await withIdempotency(db, { scope, key: "k1", requestHash: "other" }, run)).toEqual({ kind: "mismatch" });
    expect(await withIdempotency(db, { scope: "another scope", key: "k1", requestHash: "other" }, run)).toMatchObject({ kind: "fresh" });
    expect(runs).toBe(2);
  });

  it("rolls back the work when it throws, and keeps no key", async () => {
    const before = await db.ruleVersion.count();
    await expect(
      withIdempotency(db, { scope, key: "k2", requestHash: "h" }, async (tx) => {
        await tx.ruleVersion.create({ data: { id: "tmp", effectiveFrom: "2099-01-01", parameters: "{}" } });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await db.ruleVersion.count()).toBe(before);
    expect(await db.idempotencyRecord.count({ where: { scope, key: "k2" } })).toBe(0);
  });

  it("answers with the winner's stored answer when another request's commit beat ours to the key", async () => {
    // What PostgreSQL (or a second process) shows: our insert of the key
    // fails with a unique violation and our transaction is rolled back.
    await db.idempotencyRecord.create({ data: { scope, key: "k3", requestHash: "h", status: 201, body: '{"reference":"LA-2222-2222"}' } });
    const racing = {
      $transaction: async () => {
        throw Object.assign(new Error("Unique constraint failed"), { code: "P2002" });
      },
      // the stored answer is read with raw SQL
      $queryRaw: db.$queryRaw.bind(db),
    } as unknown as Db;
    expect(await withIdempotency(racing, { scope, key: "k3", requestHash: "h" }, async () => ({ status: 201, body: {} }))).toEqual({
      kind: "replay",
      status: 201,
      body: { reference: "LA-2222-2222" },
    });
    expect(await withIdempotency(racing, { scope, key: "k3", requestHash: "different" }, async () => ({ status: 201, body: {} }))).toEqual({ kind: "mismatch" });
    await expect(withIdempotency(racing, { scope, key: "k4", requestHash: "h" }, async () => ({ status: 201, body: {} }))).rejects.toThrow(/Unique/);
  });
});
