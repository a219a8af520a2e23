// tests/support/db-schema.ts lists the app's tables and columns, and prints
// every row, on whichever database the suite runs on (SQLite or PostgreSQL):
// the "nothing changed" and "nothing about them is left" checks rely on it.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/services/db.server";
import { everyRowText, listColumns, listTables } from "../../support/db-schema";

afterAll(() => db.$disconnect());

describe("the schema helper", () => {
  it("lists the app's tables, without the migration runners' and the database's own", async () => {
    const tables = await listTables(db);
    expect(tables).toEqual([...tables].sort());
    expect(tables).toEqual(expect.arrayContaining(["Application", "AuditEntry", "OutreachLead", "ScreeningOptOut", "StaffSession"]));
    for (const internal of ["_prisma_migrations", "_lifeline_migrations", "sqlite_sequence"]) expect(tables).not.toContain(internal);
    expect(await listTables(db, ["AuditEntry"])).toEqual(tables.filter((t) => t !== "AuditEntry"));
  });

  it("lists a table's columns in order", async () => {
    const columns = await listColumns(db, "AuditEntry");
    expect(columns.slice(0, 3)).toEqual(["seq", "at", "actor"]);
    expect(columns).toEqual(expect.arrayContaining(["detail", "prevHash", "hash"]));
    expect(await listColumns(db, "NoSuchTable")).toEqual([]);
  });

  it("prints every row, so any change shows and an excluded table's does not", async () => {
    const before = await everyRowText(db, ["AuditEntry"]);
    expect(await everyRowText(db, ["AuditEntry"])).toBe(before);
    await db.screeningOptOut.create({ data: { idHash: "helper-test-hash", source: "web" } });
    const after = await everyRowText(db, ["AuditEntry"]);
    expect(after).not.toBe(before);
    expect(after).toContain("helper-test-hash");
    expect(await everyRowText(db, ["AuditEntry", "ScreeningOptOut"])).not.toContain("helper-test-hash");
  });
});
