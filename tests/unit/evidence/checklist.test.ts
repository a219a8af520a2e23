import { describe, expect, it } from "vitest";
import { evidenceChecklist } from "~/domain/evidence/checklist";
import type { HouseholdMember } from "~/domain/eligibility/household";

const types = (members: HouseholdMember[], extra: { annualMedicalOutOfPocket?: number } = {}, onBehalf = false) =>
  evidenceChecklist({ household: { members, ...extra }, onBehalf }).map((i) => i.type);

describe("evidenceChecklist", () => {
  it("always asks for the ID card and household register, and offers other documents", () => {
    const list = evidenceChecklist({ household: { members: [{ monthlyIncome: 0 }] }, onBehalf: false });
    expect(list).toEqual([
      { type: "id_card", required: true, reason: "checklist.reason.idCard" },
      { type: "household_register", required: true, reason: "checklist.reason.householdRegister" },
      { type: "other", required: false, reason: "checklist.reason.other" },
    ]);
  });

  it("asks for income proof when someone earns", () => {
    const list = evidenceChecklist({ household: { members: [{ monthlyIncome: 0 }, { monthlyIncome: 1200 }] }, onBehalf: false });
    expect(list.find((i) => i.type === "income_proof")).toEqual({ type: "income_proof", required: true, reason: "checklist.reason.income" });
  });

  it("asks for income proof when someone's income is not known", () => {
    const list = evidenceChecklist({ household: { members: [{ monthlyIncome: 0 }, { age: 40 }] }, onBehalf: false });
    expect(list.find((i) => i.type === "income_proof")).toEqual({ type: "income_proof", required: true, reason: "checklist.reason.incomeUnknown" });
    expect(types([])).toContain("income_proof");
  });

  it("does not ask for income proof when everyone's income is zero", () => {
    expect(types([{ monthlyIncome: 0 }, { monthlyIncome: 0 }])).not.toContain("income_proof");
  });

  it("asks for medical bills only when out-of-pocket costs were given", () => {
    expect(types([{ monthlyIncome: 0 }], { annualMedicalOutOfPocket: 3000 })).toContain("medical_bills");
    expect(types([{ monthlyIncome: 0 }], { annualMedicalOutOfPocket: 0 })).not.toContain("medical_bills");
    expect(types([{ monthlyIncome: 0 }])).not.toContain("medical_bills");
  });

  it("asks for a disability certificate only for a severe disability", () => {
    expect(types([{ monthlyIncome: 0, disability: "severe" }])).toContain("disability_certificate");
    for (const disability of ["none", "mild", "moderate"] as const) expect(types([{ monthlyIncome: 0, disability }])).not.toContain("disability_certificate");
  });

  it("asks for the authorization only on someone's behalf", () => {
    expect(types([{ monthlyIncome: 0 }], {}, true)).toContain("authorization");
    expect(types([{ monthlyIncome: 0 }], {}, false)).not.toContain("authorization");
  });

  it("lists everything in the fixed order, every needed item required", () => {
    const list = evidenceChecklist({
      household: { members: [{ monthlyIncome: 800 }, { disability: "severe", monthlyIncome: 0 }], annualMedicalOutOfPocket: 12_000 },
      onBehalf: true,
    });
    expect(list.map((i) => i.type)).toEqual(["id_card", "household_register", "income_proof", "medical_bills", "disability_certificate", "authorization", "other"]);
    expect(list.filter((i) => i.required).map((i) => i.type)).not.toContain("other");
    expect(list.filter((i) => !i.required).map((i) => i.type)).toEqual(["other"]);
  });
});
