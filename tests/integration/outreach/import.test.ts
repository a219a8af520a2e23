// importOutreachLeads: one lead per household and data date; a lead already
// there is kept as it is (a caseworker may be working on it); the Prisma
// model reads the rows it writes.
import { afterAll, describe, expect, it } from "vitest";
import type { LeadRecord } from "~/domain/outreach";
import { importOutreachLeads } from "~/models/outreach.server";
import { db } from "~/services/db.server";

afterAll(() => db.$disconnect());

const lead = (householdId: string, dataDate = "2026-06-01", flagCount = 1): LeadRecord => ({
  householdId,
  dataDate,
  flags: JSON.stringify(["likely_dibao"]),
  flagCount,
  perCapitaIncomeFen: 50000,
  members: 1,
  reasons: "[]",
  household: JSON.stringify({ members: [{ age: 70 }], annualMedicalOutOfPocket: 0, annualEducationCost: 0 }),
  people: "[]",
});

describe("importOutreachLeads", () => {
  it("stores new leads, skips those already there and repeats in the input, keeps a worked lead untouched", async () => {
    const url = process.env.DATABASE_URL!;
    expect(await importOutreachLeads(url, [lead("A"), lead("B"), lead("A")])).toEqual({ created: 2, existing: 1 });
    await db.outreachLead.update({ where: { householdId_dataDate: { householdId: "A", dataDate: "2026-06-01" } }, data: { status: "contacted" } });
    expect(await importOutreachLeads(url, [lead("A", "2026-06-01", 3), lead("C"), lead("A", "2026-07-01")])).toEqual({ created: 2, existing: 1 });
    const rows = await db.outreachLead.findMany({ orderBy: [{ dataDate: "asc" }, { householdId: "asc" }] });
    expect(rows.map((r) => [r.householdId, r.dataDate, r.status, r.flagCount])).toEqual([
      ["A", "2026-06-01", "contacted", 1],
      ["B", "2026-06-01", "new", 1],
      ["C", "2026-06-01", "new", 1],
      ["A", "2026-07-01", "new", 1],
    ]);
    expect(rows[1].createdAt).toBeInstanceOf(Date);
    expect(Math.abs(rows[1].createdAt.getTime() - Date.now())).toBeLessThan(120_000);
  });
});
