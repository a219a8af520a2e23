// Answers → the rule engine's Household: "I don't know" leaves a field out (and
// the rules then say needs_review), skipped questions are filled with what the
// skip means, and the household sizes the per-person figures.
import { describe, expect, it } from "vitest";
import { firstUnanswered, nextStep, parseStepId, saveStep, toHousehold, type CheckAnswers } from "~/domain/check";
import { assessHousehold, type Household } from "~/domain/eligibility";
import { lone_elder, mother_and_son, parent_and_pupil, type CheckPersona } from "../../fixtures/check-personas";

function walk(persona: CheckPersona): CheckAnswers {
  let answers: CheckAnswers = {};
  let step = firstUnanswered(answers);
  while (step) {
    const r = saveStep(answers, step, persona.pages[step.id]);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    answers = r.answers;
    step = nextStep(answers, step.id);
  }
  return answers;
}

const AS_OF = "2026-11-28";
const outcomes = (h: Household) => Object.fromEntries(assessHousehold(h, AS_OF).results.map((r) => [r.program, r.outcome]));

describe("toHousehold", () => {
  it("maps a full two-person journey field by field", () => {
    expect(toHousehold(walk(mother_and_son))).toEqual({
      members: [
        { age: 45, disability: "none", canWork: true, employed: true, student: "none", monthlyIncome: 1200 },
        { age: 70, disability: "moderate", canWork: false, employed: false, student: "none", monthlyIncome: 300 },
      ],
      assets: { financial: 5000, vehicles: 0, properties: 1 },
      annualMedicalOutOfPocket: 6000,
      annualEducationCost: 0,
      housing: { ownsHome: true, perCapitaArea: 12 },
      emergency: { type: "illness", lossAmount: 20000 },
      disasterAffected: false,
    });
  });

  it("leaves out what the resident does not know, so the rules ask a caseworker", () => {
    const h = toHousehold(walk(lone_elder));
    expect(h.assets).toEqual({ vehicles: 0, properties: 0 });
    expect(h.supporters).toEqual({ hasCapableSupporter: false });
    expect(h.housing).toEqual({ ownsHome: false });
    const assessment = assessHousehold(h, AS_OF);
    const dibao = assessment.results.find((r) => r.program === "dibao")!;
    // tekun does not look at savings, so the unknown savings only stop the means-tested programmes
    expect(outcomes(h).tekun).toBe("eligible");
    expect(dibao.outcome).toBe("not_eligible");
  });

  it("an unknown income makes the income-tested programmes needs_review", () => {
    const answers = walk(mother_and_son);
    const unknownIncome = saveStep(answers, parseStepId("person/1/income")!, { dontKnow: "1", income: "" });
    if (!unknownIncome.ok) throw new Error("save failed");
    const h = toHousehold(unknownIncome.answers);
    expect(h.members[0]).not.toHaveProperty("monthlyIncome");
    const result = assessHousehold(h, AS_OF).results.find((r) => r.program === "dibao")!;
    expect(result.outcome).toBe("needs_review");
    expect(result.missing).toContain("members[0].monthlyIncome");
  });

  it("an unknown savings amount makes dibao needs_review for a poor household", () => {
    const answers: CheckAnswers = { ...walk(mother_and_son), savings: "unknown" };
    const h = toHousehold(answers);
    expect(h.assets).toEqual({ vehicles: 0, properties: 1 });
    const dibao = assessHousehold(h, AS_OF).results.find((r) => r.program === "dibao")!;
    expect(dibao.outcome).toBe("needs_review");
    expect(dibao.missing).toContain("assets.financial");
  });

  it("fills in what skipped questions mean: children cannot work, non-students have no school costs, a flood is a disaster", () => {
    const h = toHousehold(walk(parent_and_pupil));
    expect(h.members[1]).toEqual({ age: 12, disability: "none", canWork: false, employed: false, student: "compulsory", monthlyIncome: 0 });
    expect(h.annualEducationCost).toBe(12000);
    expect(h.disasterAffected).toBe(true);
    expect(h.emergency).toEqual({ type: "disaster" }); // loss not known
    expect(h.housing).toEqual({ ownsHome: false });
    expect(h).not.toHaveProperty("supporters");
    expect(outcomes(h).disaster).toBe("eligible");
  });

  it("divides the home's floor area by the number of people", () => {
    const h = toHousehold({ householdSize: 3, ownsHome: "yes", floorArea: 40 });
    expect(h.housing?.perCapitaArea).toBeCloseTo(40 / 3, 12);
    expect(toHousehold({ householdSize: 3, ownsHome: "yes", floorArea: 45 }).housing?.perCapitaArea).toBe(15);
    expect(toHousehold({ householdSize: 3, ownsHome: "yes", floorArea: "unknown" }).housing).toEqual({ ownsHome: true });
    // an old area answer does not count once the home is not owned
    expect(toHousehold({ householdSize: 3, ownsHome: "no", floorArea: 20 }).housing).toEqual({ ownsHome: false });
  });

  it("gives a usable household from partial answers", () => {
    expect(toHousehold({})).toEqual({ members: [{}] });
    const h = toHousehold({ householdSize: 2, people: [{ age: 40 }] });
    expect(h.members).toEqual([{ age: 40, student: "none" }, {}]);
    expect(h).not.toHaveProperty("annualEducationCost"); // person 2's study answer is still to come
  });

  it("ignores the stored supporter answer when the question no longer applies", () => {
    const h = toHousehold({ householdSize: 1, people: [{ age: 40, work: "employed" }], supporter: "yes" });
    expect(h).not.toHaveProperty("supporters");
  });
});
