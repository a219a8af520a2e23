// The audit log: a hash chain that shows any change, appends that never fork
// the chain (even many at once), entries that commit or roll back with the
// caller's transaction, no personal data in details, the search page for
// supervisors and admins, and the export as a file download. Looking at or
// exporting the log is itself recorded.
import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loader as exportLoader } from "~/routes/staff.audit.export";
import { loader as auditLoader } from "~/routes/staff.audit._index";
import { GENESIS_HASH, recordAudit, verifyAuditChain } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { callRoute, signInAs, staffGet } from "../../support/staff";

const t = fixedT("en", "audit");

async function allEntries() {
  return db.auditEntry.findMany({ orderBy: { seq: "asc" } });
}

describe("the hash chain", () => {
  it("links each entry to the one before, from a fixed start", async () => {
    await recordAudit(db, { actor: "system", action: "test_first", subjectType: "test" });
    await recordAudit(db, { actor: "system", action: "test_second", subjectType: "test", subjectId: "x1", reason: "because", detail: { n: 1 } });
    const rows = await allEntries();
    expect(rows[0].prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
    expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: rows.length });
  });

  it("many appends at once still make one unbroken chain with consecutive numbers", async () => {
    await Promise.all(Array.from({ length: 25 }, (_, i) => recordAudit(db, { actor: "system", action: "test_burst", subjectType: "test", subjectId: String(i) })));
    const rows = await allEntries();
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: rows.length });
  });

  it("appends from many transactions at once (side by side on PostgreSQL) still make one unbroken chain", async () => {
    const before = await db.auditEntry.count();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        db.$transaction(async (tx) => recordAudit(tx, { actor: "system", action: "test_parallel_tx", subjectType: "test", subjectId: String(i) }), { maxWait: 20_000, timeout: 20_000 }),
      ),
    );
    expect(await db.auditEntry.count()).toBe(before + 12);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: before + 12 });
  });

  it("an entry written in a caller's transaction is gone if that transaction fails", async () => {
    const before = await db.auditEntry.count();
    await expect(
      db.$transaction(async (tx) => {
        await recordAudit(tx, { actor: "system", action: "test_rolled_back", subjectType: "test" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db.auditEntry.count()).toBe(before);
    await db.$transaction(async (tx) => recordAudit(tx, { actor: "system", action: "test_committed", subjectType: "test" }));
    expect(await db.auditEntry.count()).toBe(before + 1);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it("replaces anything that looks like a phone or ID number in the detail", async () => {
    await recordAudit(db, {
      actor: "system",
      action: "test_scrub",
      subjectType: "test",
      reason: "rang 13800138000 twice",
      detail: { phone: "138 0013 8000", nested: { id: "11010519491231002X" }, ok: "LA-AB12-CD34" },
    });
    const row = await db.auditEntry.findFirstOrThrow({ where: { action: "test_scrub" } });
    expect(JSON.parse(row.detail)).toEqual({ nested: { id: "[redacted]" }, ok: "LA-AB12-CD34", phone: "[redacted]" });
    expect(row.reason).toBe("[redacted]");
    await recordAudit(db, { actor: "system", action: "test_scrub_reason", subjectType: "test", reason: "The resident asked for more time" });
    expect((await db.auditEntry.findFirstOrThrow({ where: { action: "test_scrub_reason" } })).reason).toBe("The resident asked for more time");
  });
});

describe("tampering is found", () => {
  // These tests change rows behind the application's back (raw SQL), as an
  // attacker with the database file could; the app itself has no such path.
  beforeEach(async () => {
    for (let i = 0; i < 5; i++) await recordAudit(db, { actor: "staff:abc", actorName: "caseworker", action: "view_case", subjectType: "application", subjectId: `LA-TEST-000${i}` });
  });

  it("changing one entry's detail breaks the chain at that entry", async () => {
    const rows = await allEntries();
    const target = rows[rows.length - 3];
    await db.$executeRaw`UPDATE "AuditEntry" SET "detail" = '{"note":"nothing to see"}' WHERE "seq" = ${target.seq}`;
    expect(await verifyAuditChain(db)).toEqual({ ok: false, checked: target.seq - 1, brokenSeq: target.seq });
    // Putting the old text back makes it whole again: the check is of content, not of a flag.
    await db.$executeRaw`UPDATE "AuditEntry" SET "detail" = ${target.detail} WHERE "seq" = ${target.seq}`;
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it("re-hashing a changed entry is found at the next one", async () => {
    const rows = await allEntries();
    const target = rows[rows.length - 2];
    const { entryHash } = await import("~/services/audit.server");
    const forged = { ...target, actorName: "someone-else" };
    await db.$executeRaw`UPDATE "AuditEntry" SET "actorName" = ${forged.actorName}, "hash" = ${entryHash(forged)} WHERE "seq" = ${target.seq}`;
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenSeq: target.seq + 1 });
    await db.$executeRaw`UPDATE "AuditEntry" SET "actorName" = ${target.actorName}, "hash" = ${target.hash} WHERE "seq" = ${target.seq}`;
  });

  it("removing an entry from the middle is found", async () => {
    const rows = await allEntries();
    const target = rows[rows.length - 2];
    await db.$executeRaw`DELETE FROM "AuditEntry" WHERE "seq" = ${target.seq}`;
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenSeq: target.seq });
    await db.auditEntry.create({ data: target });
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });
});

describe("no code path changes or removes an audit entry", () => {
  it("app/ never updates or deletes AuditEntry", () => {
    const offending: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== "generated") walk(full);
        } else if (/\.(ts|tsx)$/.test(entry.name)) {
          const text = fs.readFileSync(full, "utf8");
          if (/auditEntry\s*\.\s*(update|updateMany|upsert|delete|deleteMany)\b/.test(text) || /(UPDATE|DELETE\s+FROM)\s+"?AuditEntry/i.test(text)) offending.push(full);
        }
      }
    };
    walk(path.resolve("app"));
    expect(offending).toEqual([]);
  });
});

describe("the audit page", () => {
  it("is for supervisors and admins; caseworkers get 403", async () => {
    expect((await callRoute(auditLoader, staffGet("/staff/audit", await signInAs("caseworker")))).status).toBe(403);
    expect((await callRoute(auditLoader, staffGet("/staff/audit", await signInAs("admin")))).status).toBe(200);
  });

  it("searches by who, what, which record and dates, newest first, and records the look", async () => {
    const supervisor = await signInAs("supervisor");
    await recordAudit(db, { actor: "staff:x", actorName: "wang", action: "approve_case", subjectType: "application", subjectId: "LA-FIND-0001" });
    await recordAudit(db, { actor: "staff:y", actorName: "li", action: "approve_case", subjectType: "application", subjectId: "LA-FIND-0002" });
    await recordAudit(db, { actor: "staff:x", actorName: "wang", action: "view_case", subjectType: "application", subjectId: "LA-FIND-0002" });

    const byActor = await callRoute(auditLoader, staffGet("/staff/audit?actor=WANG&lng=en", supervisor));
    expect((byActor.data?.entries as Array<{ who: string; subject: string }>).map((e) => e.subject)).toEqual(["application LA-FIND-0002", "application LA-FIND-0001"]);

    const byAction = await callRoute(auditLoader, staffGet("/staff/audit?action=approve_case&subject=LA-FIND-0002", supervisor));
    expect(byAction.data?.total).toBe(1);

    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const byDate = await callRoute(auditLoader, staffGet(`/staff/audit?actor=wang&from=${today}&to=${today}`, supervisor));
    expect(byDate.data?.total).toBe(2);
    const before = await callRoute(auditLoader, staffGet("/staff/audit?actor=wang&from=2020-01-01&to=2020-01-02", supervisor));
    expect(before.data?.total).toBe(0);

    const looks = await db.auditEntry.findMany({ where: { action: "view_audit", actor: `staff:${supervisor.staffId}` } });
    expect(looks.length).toBeGreaterThanOrEqual(4);
    expect(JSON.parse(looks[0].detail)).toMatchObject({ filter: { actor: "WANG" } });
  });

  it("a bad date answers 400 with a message", async () => {
    const admin = await signInAs("admin");
    const answer = await callRoute(auditLoader, staffGet("/staff/audit?from=2026-02-30&to=yesterday&lng=en", admin));
    expect(answer.status).toBe(400);
    expect(answer.data?.errors).toEqual({ from: t("errors.from.invalid"), to: t("errors.to.invalid") });
    const order = await callRoute(auditLoader, staffGet("/staff/audit?from=2026-03-02&to=2026-03-01&lng=en", admin));
    expect(order.data?.errors).toEqual({ to: t("errors.to.order") });
  });

  it("pages 50 at a time, newest first", async () => {
    const admin = await signInAs("admin");
    for (let i = 0; i < 55; i++) await recordAudit(db, { actor: "system", action: "test_paging", subjectType: "test", subjectId: String(i) });
    const first = await callRoute(auditLoader, staffGet("/staff/audit?action=test_paging", admin));
    expect(first.data).toMatchObject({ total: 55, pages: 2, page: 1 });
    const firstEntries = first.data?.entries as Array<{ seq: number; subject: string }>;
    expect(firstEntries).toHaveLength(50);
    expect(firstEntries[0].subject).toBe("test 54");
    const second = await callRoute(auditLoader, staffGet("/staff/audit?action=test_paging&page=2", admin));
    expect((second.data?.entries as unknown[]).length).toBe(5);
  });

  it("'Check the record' says whole, or names the first changed entry", async () => {
    const supervisor = await signInAs("supervisor");
    const ok = await callRoute(auditLoader, staffGet("/staff/audit?verify=1", supervisor));
    expect(ok.data?.chain).toMatchObject({ ok: true });
    const victim = await db.auditEntry.findFirstOrThrow({ where: { action: "test_paging" }, orderBy: { seq: "asc" } });
    await db.$executeRaw`UPDATE "AuditEntry" SET "detail" = '{"x":1}' WHERE "seq" = ${victim.seq}`;
    const broken = await callRoute(auditLoader, staffGet("/staff/audit?verify=1", supervisor));
    expect(broken.data?.chain).toMatchObject({ ok: false, brokenSeq: victim.seq });
    await db.$executeRaw`UPDATE "AuditEntry" SET "detail" = ${victim.detail} WHERE "seq" = ${victim.seq}`;
  });
});

describe("the export", () => {
  it("downloads the current search as CSV (attachment), records the export, and defuses spreadsheet formulas", async () => {
    const supervisor = await signInAs("supervisor");
    await recordAudit(db, { actor: "staff:z", actorName: "zhao", action: "reject_case", subjectType: "application", subjectId: "LA-EXPO-0001", reason: "=HYPERLINK(\"x\")" });
    await recordAudit(db, { actor: "staff:z", actorName: "zhao", action: "view_case", subjectType: "application", subjectId: "LA-EXPO-0002" });
    const request = staffGet("/staff/audit/export?actor=zhao&action=reject_case&format=csv", supervisor);
    const response = (await exportLoader({ request, params: {}, context: {} })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="lifeline-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const text = await response.text();
    const lines = text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("seq,at,actor,actorName,action,subjectType,subjectId,reason,detail,prevHash,hash");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("LA-EXPO-0001");
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(await db.auditEntry.findFirst({ where: { action: "export_audit", actor: `staff:${supervisor.staffId}` } })).not.toBeNull();
  });

  it("downloads JSON lines with every entry's hashes", async () => {
    const admin = await signInAs("admin");
    const response = (await exportLoader({ request: staffGet("/staff/audit/export?actor=zhao&format=jsonl", admin), params: {}, context: {} })) as Response;
    const entries = (await response.text()).trim().split("\n").map((l) => JSON.parse(l) as { subjectId: string; hash: string });
    expect(entries.map((e) => e.subjectId)).toEqual(["LA-EXPO-0002", "LA-EXPO-0001"]);
    expect(entries[0].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is refused to caseworkers (403) and to the signed-out (login)", async () => {
    const cw = await callRoute(exportLoader, staffGet("/staff/audit/export", await signInAs("caseworker")));
    expect(cw.status).toBe(403);
    const anon = await callRoute(exportLoader, staffGet("/staff/audit/export", null));
    expect(anon.status).toBe(303);
  });
});
