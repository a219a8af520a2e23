// The four flags of "Proactive identification" at their boundaries (exact
// comparisons, "below" = strictly less), the figures each reason carries, and
// the ranking (most flags, then lowest P, then household_id).
import { describe, expect, it } from "vitest";
import { compiledParametersFor } from "~/domain/eligibility";
import { HouseholdTallies, rankScreened, screenHousehold, type PersonRecord, type ScreenedHousehold } from "~/domain/outreach";

const params = compiledParametersFor("2026-06-01"); // S = 1000, low-income line 1500, catastrophic 50000

let seq = 0;
function person(householdId: string, p: Partial<PersonRecord> & { income?: number; medical?: number } = {}): PersonRecord {
  seq++;
  return {
    householdId,
    personId: `p${seq}`,
    name: "",
    idNumber: "110101195001011239",
    phone: "",
    relation: "self",
    age: 40,
    disability: "none",
    canWork: false,
    employed: false,
    incomeFen: Math.round((p.income ?? 0) * 100),
    student: "none",
    medicalFen: Math.round((p.medical ?? 0) * 100),
    receiving: [],
    ...p,
  };
}

function screen(people: PersonRecord[]): ScreenedHousehold | null {
  const tallies = new HouseholdTallies();
  people.forEach((p, i) => tallies.add(p, i + 2));
  return screenHousehold(tallies.get(people[0].householdId)!, params);
}

const flagsOf = (people: PersonRecord[]) => screen(people)?.flags ?? [];

describe("medical_no_labour", () => {
  const rich = { income: 100_000 }; // keeps P above every line, so only this flag can apply
  it("applies above 50000 out-of-pocket with no main labour, with the figures", () => {
    const s = screen([person("h", { ...rich, age: 70, medical: 50000.01 })]);
    expect(s?.flags).toEqual(["medical_no_labour"]);
    expect(s?.reasons[0]).toEqual({
      code: "outreach.medical_no_labour",
      passed: true,
      values: { outOfPocket: "50000.01", catastrophicMedical: "50000.00", mainLabour: 0, members: 1 },
    });
  });
  it("does not apply at exactly 50000", () => {
    expect(flagsOf([person("h", { ...rich, age: 70, medical: 50000 })])).toEqual([]);
  });
  it("sums out-of-pocket over members", () => {
    expect(flagsOf([person("h", { ...rich, age: 70, medical: 30000 }), person("h", { age: 10, medical: 20000.01 })])).toEqual(["medical_no_labour"]);
  });
  it("a member aged 18 or 59 who can work is main labour; 17 or 60 is not", () => {
    for (const age of [18, 59]) expect(flagsOf([person("h", { ...rich, age: 70, medical: 60000 }), person("h", { age, canWork: true })])).toEqual([]);
    for (const age of [17, 60]) expect(flagsOf([person("h", { ...rich, age: 70, medical: 60000 }), person("h", { age, canWork: true })])).toEqual(["medical_no_labour"]);
  });
  it("a working-age member who cannot work is not main labour", () => {
    expect(flagsOf([person("h", { ...rich, age: 40, canWork: false, medical: 60000 })])).toEqual(["medical_no_labour"]);
  });
});

describe("likely_dibao", () => {
  it("applies when P is strictly below S, with P, S, H and R", () => {
    // H = 1600, R = 12000 / 12 = 1000, P = (1600 − 1000) / 2 = 300
    const s = screen([person("h", { age: 40, canWork: true, income: 1600, medical: 12000 }), person("h", { age: 8 })]);
    expect(s?.flags).toEqual(["likely_dibao"]);
    expect(s?.reasons[0].values).toEqual({ P: "300.00", S: "1000.00", H: "1600.00", R: "1000.00", members: 2 });
    expect(s?.perCapitaIncome).toBe("300.00");
  });
  it("does not apply at P exactly S, and applies a cent below", () => {
    expect(flagsOf([person("h", { age: 40, canWork: true, income: 1000 })])).toEqual([]);
    expect(flagsOf([person("h", { age: 40, canWork: true, income: 999.99 })])).toEqual(["likely_dibao"]);
  });
  it("compares exactly, without rounding P first", () => {
    // H = 3000, R = 0.01/12, P = (3000 − 0.000833…) / 3 = 999.99972…, which rounds to 1000.00 but is below S
    const s = screen([person("h", { age: 40, canWork: true, income: 3000, medical: 0.01 }), person("h", { age: 5 }), person("h", { age: 6 })]);
    expect(s?.flags).toEqual(["likely_dibao"]);
    expect(s?.perCapitaIncome).toBe("1000.00");
  });
  it("does not apply when any member receives dibao", () => {
    expect(flagsOf([person("h", { age: 40, canWork: true }), person("h", { age: 8, receiving: ["dibao"] })])).toEqual([]);
  });
  it("uses the S of the rule version in force (1080 from 2027)", () => {
    const tallies = new HouseholdTallies();
    tallies.add(person("h", { age: 40, canWork: true, income: 1050 }), 2);
    expect(screenHousehold(tallies.get("h")!, params)).toBeNull();
    expect(screenHousehold(tallies.get("h")!, compiledParametersFor("2027-01-01"))?.flags).toEqual(["likely_dibao"]);
  });
});

describe("lone_elderly", () => {
  it("one member aged 60 with income below S and no tekun or dibao", () => {
    const s = screen([person("h", { age: 60, income: 999.99, receiving: ["medical"] })]);
    expect(s?.flags).toEqual(["likely_dibao", "lone_elderly"]);
    expect(s?.reasons[1]).toEqual({ code: "outreach.lone_elderly", passed: true, values: { age: 60, minAge: 60, monthlyIncome: "999.99", S: "1000.00" } });
  });
  it("not at 59, not with income exactly S, not with two members, not with tekun", () => {
    expect(flagsOf([person("h", { age: 59, income: 500 })])).toEqual(["likely_dibao"]);
    expect(flagsOf([person("h", { age: 70, income: 1000 })])).toEqual([]);
    expect(flagsOf([person("h", { age: 70, income: 100 }), person("h", { age: 70, income: 5000 })])).toEqual([]);
    expect(flagsOf([person("h", { age: 70, income: 100, receiving: ["tekun"] })])).toEqual(["likely_dibao"]);
  });
  it("compares the person's own income with S even when medical costs lower P", () => {
    expect(flagsOf([person("h", { age: 70, income: 1200, medical: 12000 })])).toEqual(["likely_dibao"]);
  });
});

describe("severe_disability_low_income", () => {
  it("a severely disabled member, P below 1.5 × S, nothing received", () => {
    const s = screen([person("h", { age: 40, disability: "severe" }), person("h", { age: 40, canWork: true, income: 2999.99 })]);
    expect(s?.flags).toEqual(["severe_disability_low_income"]);
    expect(s?.reasons[0].values).toEqual({ severeMembers: 1, P: "1500.00", lowIncomeLine: "1500.00", lowIncomeFactor: "1.5", S: "1000.00" });
  });
  it("not at P exactly 1500, not when anyone receives anything, not with moderate disability", () => {
    expect(flagsOf([person("h", { age: 40, disability: "severe" }), person("h", { age: 40, canWork: true, income: 3000 })])).toEqual([]);
    expect(flagsOf([person("h", { age: 40, disability: "severe" }), person("h", { age: 40, canWork: true, income: 2000, receiving: ["medical"] })])).toEqual([]);
    expect(flagsOf([person("h", { age: 40, disability: "moderate" }), person("h", { age: 40, canWork: true, income: 2000 })])).toEqual([]);
  });
});

describe("households with skipped rows and repeated people", () => {
  it("are screened on their good rows and say which lines were skipped", () => {
    const tallies = new HouseholdTallies();
    tallies.add(person("h", { age: 75, income: 200 }), 2);
    tallies.skip("h", 7);
    const s = screenHousehold(tallies.get("h")!, params);
    expect(s?.flags).toEqual(["likely_dibao", "lone_elderly"]);
    expect(s?.reasons.at(-1)).toEqual({ code: "outreach.incomplete_records", passed: false, values: { skippedRows: 1, lines: "7" } });
  });
  it("skip a repeated person_id in the same household but not in another", () => {
    const tallies = new HouseholdTallies();
    expect(tallies.add(person("h", { personId: "a", age: 75, income: 200 }), 2)).toBe(true);
    expect(tallies.add(person("h", { personId: "a", age: 30, income: 9000 }), 3)).toBe(false);
    expect(tallies.add(person("g", { personId: "a", age: 30, income: 9000 }), 4)).toBe(true);
    expect(tallies.get("h")).toMatchObject({ members: 1, incomeFen: 20000, skippedRows: 1, skippedLines: [3] });
  });
});

describe("ranking", () => {
  it("most flags first, then lowest P, then household_id", () => {
    const households = [
      [person("b", { age: 40, canWork: true, income: 500 })], // 1 flag, P 500
      [person("a", { age: 40, canWork: true, income: 500 })], // 1 flag, P 500: ties go by id
      [person("c", { age: 40, canWork: true, income: 100 })], // 1 flag, P 100
      [person("z", { age: 70, income: 900 })], // 2 flags, P 900
      [person("y", { age: 70, income: 950 })], // 2 flags, P 950
    ];
    const ranked = rankScreened(households.map((h) => screen(h)!));
    expect(ranked.map((s) => s.householdId)).toEqual(["z", "y", "c", "a", "b"]);
  });
  it("orders P values a fraction of a fen apart exactly", () => {
    // P = (3000 − 0.01/12)/3 vs (3000 − 0.02/12)/3: both print 1000.00
    const a = screen([person("a", { age: 40, canWork: true, income: 3000, medical: 0.01 }), person("a", { age: 5 }), person("a", { age: 6 })])!;
    const b = screen([person("b", { age: 40, canWork: true, income: 3000, medical: 0.02 }), person("b", { age: 5 }), person("b", { age: 6 })])!;
    expect(rankScreened([a, b]).map((s) => s.householdId)).toEqual(["b", "a"]);
  });
});
