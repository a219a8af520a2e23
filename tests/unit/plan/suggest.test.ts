// The plan a case is proposed: eligible programmes with the approval's amount
// (else the rules'), a service per need found in the household, each with a
// reason code; needs read strictly from the rule book's definitions.
import { describe, expect, it } from "vitest";
import { assessHousehold, type Household, type ProgramResult } from "~/domain/eligibility";
import { householdNeeds, suggestPlan } from "~/domain/plan";

const result = (program: ProgramResult["program"], outcome: ProgramResult["outcome"], amount: ProgramResult["amount"] = null): ProgramResult => ({
  program,
  outcome,
  amount,
  reasons: [],
  changes: [],
  missing: [],
});

describe("householdNeeds", () => {
  it("finds nothing for a household with no such circumstances", () => {
    expect(householdNeeds({ members: [{ age: 40, disability: "none", canWork: true, employed: true, student: "none" }], disasterAffected: false })).toEqual([]);
  });

  it("counts members with a severe disability, not moderate ones", () => {
    const h: Household = { members: [{ age: 70, disability: "severe" }, { age: 68, disability: "moderate" }, { age: 12, disability: "severe" }] };
    expect(householdNeeds(h)).toEqual([{ need: "disability_care", count: 2 }]);
  });

  it("needs psychological support only when the household says it was hit by a disaster", () => {
    expect(householdNeeds({ members: [{ age: 30 }], disasterAffected: true })).toEqual([{ need: "psychological_support", count: 1 }]);
    expect(householdNeeds({ members: [{ age: 30 }] })).toEqual([]);
  });

  it.each([
    [15, true, false, false],
    [16, true, false, true],
    [59, true, false, true],
    [60, true, false, false],
    [30, false, false, false],
    [30, true, true, false],
  ])("job training: age %i, can work %s, employed %s → %s", (age, canWork, employed, expected) => {
    const needs = householdNeeds({ members: [{ age, canWork, employed }] });
    expect(needs.some((n) => n.need === "job_training")).toBe(expected);
  });

  it("does not guess job training when employment or age is unknown", () => {
    expect(householdNeeds({ members: [{ age: 30, canWork: true }, { canWork: true, employed: false }] })).toEqual([]);
  });

  it("tutoring for compulsory and high-school students, not university students", () => {
    const h: Household = { members: [{ age: 10, student: "compulsory" }, { age: 17, student: "high_school" }, { age: 20, student: "higher_education" }] };
    expect(householdNeeds(h)).toEqual([{ need: "tutoring", count: 2 }]);
  });

  it("lists needs in the fixed order", () => {
    const h: Household = { members: [{ age: 10, student: "compulsory" }, { age: 40, canWork: true, employed: false }, { age: 80, disability: "severe" }], disasterAffected: true };
    expect(householdNeeds(h).map((n) => n.need)).toEqual(["disability_care", "psychological_support", "job_training", "tutoring"]);
  });
});

describe("suggestPlan", () => {
  const household: Household = { members: [{ age: 45, canWork: true, employed: false }] };

  it("takes the approved amount in fen over the rules' amount", () => {
    const items = suggestPlan({
      household,
      results: [result("dibao", "eligible", { value: 900, period: "month" })],
      decision: { outcome: "approved", amounts: [{ program: "dibao", fen: 85050, period: "month" }] },
    });
    expect(items[0]).toEqual({ kind: "programme", program: "dibao", amountFen: 85050, amountPeriod: "month", reasonCode: "programme_approved", reasonValues: { program: "dibao" } });
  });

  it("uses the rules' amount for an eligible programme the approval did not cover, and none when the rules give none", () => {
    const items = suggestPlan({
      household,
      results: [result("medical", "eligible", { value: 1234, period: "year" }), result("employment", "eligible", null)],
      decision: null,
    });
    expect(items.filter((i) => i.kind === "programme")).toEqual([
      { kind: "programme", program: "medical", amountFen: 123400, amountPeriod: "year", reasonCode: "programme_eligible", reasonValues: { program: "medical" } },
      { kind: "programme", program: "employment", amountFen: null, amountPeriod: null, reasonCode: "programme_eligible_no_amount", reasonValues: { program: "employment" } },
    ]);
  });

  it("leaves out programmes that are not eligible or need review", () => {
    const items = suggestPlan({ household: { members: [{ age: 30 }] }, results: [result("dibao", "not_eligible"), result("medical", "needs_review")], decision: null });
    expect(items).toEqual([]);
  });

  it("ignores a rejected decision's amounts", () => {
    const items = suggestPlan({
      household: { members: [{ age: 30 }] },
      results: [result("dibao", "eligible", { value: 500, period: "month" })],
      decision: { outcome: "rejected", amounts: [{ program: "dibao", fen: 1, period: "month" }] },
    });
    expect(items[0]).toMatchObject({ amountFen: 50000, reasonCode: "programme_eligible" });
  });

  it("adds a service item per need, after the programmes, with the count as its reason value", () => {
    const items = suggestPlan({
      household: { members: [{ age: 40, canWork: true, employed: false }, { age: 9, student: "compulsory" }, { age: 12, student: "compulsory" }] },
      results: [result("dibao", "eligible", { value: 100, period: "month" })],
      decision: null,
    });
    expect(items.map((i) => i.kind)).toEqual(["programme", "service", "service"]);
    expect(items[1]).toEqual({ kind: "service", need: "job_training", reasonCode: "need_job_training", reasonValues: { count: 1 } });
    expect(items[2]).toEqual({ kind: "service", need: "tutoring", reasonCode: "need_tutoring", reasonValues: { count: 2 } });
  });

  it("works from a real assessment of the rules engine", () => {
    const h: Household = {
      members: [
        { relation: "self", age: 45, monthlyIncome: 0, canWork: true, employed: false, disability: "none", student: "none" },
        { relation: "child", age: 10, monthlyIncome: 0, canWork: false, employed: false, disability: "none", student: "compulsory" },
      ],
      supporters: { hasCapableSupporter: false },
      assets: { financial: 0, vehicles: 0, properties: 0 },
      annualMedicalOutOfPocket: 0,
      annualEducationCost: 0,
      housing: { ownsHome: true, perCapitaArea: 30 },
      emergency: { type: "none", lossAmount: 0 },
      disasterAffected: false,
    };
    const assessment = assessHousehold(h, "2026-06-01");
    const items = suggestPlan({ household: h, results: assessment.results, decision: null });
    const programmes = items.filter((i) => i.kind === "programme").map((i) => (i.kind === "programme" ? i.program : null));
    expect(programmes).toContain("dibao");
    expect(programmes).toContain("education");
    expect(items.filter((i) => i.kind === "service").map((i) => (i.kind === "service" ? i.need : null))).toEqual(["job_training", "tutoring"]);
  });
});
