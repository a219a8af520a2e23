// The check's plan: which pages apply, back and next, where a person resumes,
// and reading each page's input into answers or error keys.
import { describe, expect, it } from "vitest";
import {
  applicableSteps,
  firstUnanswered,
  formValues,
  isComplete,
  isReachable,
  nextStep,
  parseStepId,
  previousStep,
  readAnswers,
  saveStep,
  type CheckAnswers,
} from "~/domain/check";
import { CHECK_PERSONAS, lone_elder, mother_and_son, parent_and_pupil, type CheckPersona } from "../../fixtures/check-personas";

function save(answers: CheckAnswers, stepId: string, form: Record<string, string>): CheckAnswers {
  const step = parseStepId(stepId);
  if (!step) throw new Error(`no step ${stepId}`);
  const r = saveStep(answers, step, form);
  if (!r.ok) throw new Error(`${stepId}: ${JSON.stringify(r.errors)}`);
  return r.answers;
}

/** Answers the persona's pages in the order the journey asks them; returns the pages seen. */
function walk(persona: CheckPersona): { answers: CheckAnswers; seen: string[] } {
  let answers: CheckAnswers = {};
  const seen: string[] = [];
  let step = firstUnanswered(answers);
  while (step) {
    seen.push(step.id);
    const form = persona.pages[step.id];
    if (!form) throw new Error(`persona ${persona.name} has no answer for ${step.id}`);
    answers = save(answers, step.id, form);
    step = nextStep(answers, step.id);
    if (seen.length > 200) throw new Error("loop");
  }
  return { answers, seen };
}

describe("the plan", () => {
  it("starts with who and household size, and plans nothing else before the size is known", () => {
    expect(applicableSteps({}).map((s) => s.id)).toEqual(["who", "household-size"]);
    expect(firstUnanswered({})?.id).toBe("who");
    expect(isComplete({})).toBe(false);
  });

  for (const persona of CHECK_PERSONAS) {
    it(`asks ${persona.name} exactly the pages that apply, then is complete`, () => {
      const { answers, seen } = walk(persona);
      expect(seen).toEqual(persona.expectedSteps);
      expect(isComplete(answers)).toBe(true);
      expect(firstUnanswered(answers)).toBeNull();
      expect(applicableSteps(answers).map((s) => s.id)).toEqual(persona.expectedSteps);
    });
  }

  it("keeps a two-person household to at most 18 pages", () => {
    expect(walk(mother_and_son).seen.length).toBeLessThanOrEqual(18);
    expect(walk(mother_and_son).seen.length).toBeGreaterThanOrEqual(12);
  });

  it("asks about study only from 6 to 30 and about work only from 16", () => {
    const ids = (age: number) => {
      const a = save(save({ householdSize: 1 }, "person/1/age", { age: String(age) }), "person/1/disability", { disability: "none" });
      return applicableSteps(a).map((s) => s.id).filter((id) => id.startsWith("person/1/"));
    };
    expect(ids(5)).toEqual(["person/1/age", "person/1/disability", "person/1/income"]);
    expect(ids(6)).toEqual(["person/1/age", "person/1/disability", "person/1/study", "person/1/income"]);
    expect(ids(16)).toEqual(["person/1/age", "person/1/disability", "person/1/study", "person/1/work", "person/1/income"]);
    expect(ids(30)).toContain("person/1/study");
    expect(ids(31)).toEqual(["person/1/age", "person/1/disability", "person/1/work", "person/1/income"]);
  });

  it("asks about a supporter only when every member could get extreme-poverty support", () => {
    const base: CheckAnswers = { householdSize: 2, people: [{ age: 70, work: "cannot_work" }, { age: 10 }] };
    expect(applicableSteps(base).map((s) => s.id)).toContain("support");
    const severe: CheckAnswers = { householdSize: 1, people: [{ age: 40, disability: "severe", work: "cannot_work" }] };
    expect(applicableSteps(severe).map((s) => s.id)).toContain("support");
    const worker: CheckAnswers = { householdSize: 2, people: [{ age: 70, work: "cannot_work" }, { age: 40, work: "cannot_work" }] };
    expect(applicableSteps(worker).map((s) => s.id)).not.toContain("support");
    const canWork: CheckAnswers = { householdSize: 1, people: [{ age: 65, work: "not_employed" }] };
    expect(applicableSteps(canWork).map((s) => s.id)).not.toContain("support");
  });

  it("asks the home size only of owners, the loss only after an emergency, and disaster unless already said", () => {
    const ids = (a: CheckAnswers) => applicableSteps({ householdSize: 1, ...a }).map((s) => s.id);
    expect(ids({ ownsHome: "no" })).not.toContain("home-size");
    expect(ids({ ownsHome: "yes" })).toContain("home-size");
    expect(ids({ emergency: "none" })).not.toContain("emergency-cost");
    expect(ids({ emergency: "fire" })).toContain("emergency-cost");
    expect(ids({ emergency: "fire" })).toContain("disaster");
    expect(ids({ emergency: "disaster" })).not.toContain("disaster");
  });
});

describe("back and next", () => {
  const { answers } = walk(mother_and_son);

  it("goes back over skipped pages to the previous one that applies", () => {
    expect(previousStep(answers, "person/2/age")?.id).toBe("person/1/income");
    expect(previousStep(answers, "savings")?.id).toBe("person/2/income"); // support does not apply
    expect(previousStep(answers, "cars-and-homes")?.id).toBe("home-size");
    expect(previousStep({ ...answers, ownsHome: "no" }, "cars-and-homes")?.id).toBe("home");
    expect(previousStep(answers, "who")).toBeNull();
  });

  it("goes forward over pages that do not apply, and ends after the last one", () => {
    expect(nextStep(answers, "person/1/disability")?.id).toBe("person/1/work"); // 45: no study page
    expect(nextStep(answers, "medical-costs")?.id).toBe("emergency"); // no student: no school costs
    expect(nextStep(answers, "disaster")).toBeNull();
  });

  it("does not let a person jump past a question they have not answered", () => {
    const partial = save(save({}, "who", { forWhom: "self" }), "household-size", { householdSize: "2" });
    expect(isReachable(partial, "person/1/age")).toBe(true);
    expect(isReachable(partial, "person/1/income")).toBe(false);
    expect(isReachable(partial, "person/3/age")).toBe(false); // only 2 people
    expect(isReachable(answers, "person/1/study")).toBe(false); // does not apply at 45
    expect(isReachable(answers, "disaster")).toBe(true);
  });
});

describe("changing answers", () => {
  it("a smaller household forgets the people beyond it", () => {
    const { answers } = walk(mother_and_son);
    const smaller = save(answers, "household-size", { householdSize: "1" });
    expect(smaller.people).toHaveLength(1);
    expect(isComplete(smaller)).toBe(true);
  });

  it("a bigger household asks about the new person next", () => {
    const { answers } = walk(mother_and_son);
    const bigger = save(answers, "household-size", { householdSize: "3" });
    expect(isComplete(bigger)).toBe(false);
    expect(firstUnanswered(bigger)?.id).toBe("person/3/age");
  });

  it("a new age can open a question that was skipped", () => {
    const { answers } = walk(mother_and_son);
    const younger = save(answers, "person/1/age", { age: "20" });
    expect(firstUnanswered(younger)?.id).toBe("person/1/study");
  });

  it("a new student opens the school costs question", () => {
    const { answers } = walk(parent_and_pupil);
    expect(applicableSteps(answers).map((s) => s.id)).toContain("school-costs");
    const noStudy = save(answers, "person/2/study", { student: "none" });
    expect(applicableSteps(noStudy).map((s) => s.id)).not.toContain("school-costs");
  });
});

describe("reading a page", () => {
  const step = (id: string) => parseStepId(id)!;

  it("gives the error key of each field and keeps what was typed", () => {
    const r = saveStep({}, step("person/1/age"), { age: "forty" });
    expect(r).toEqual({ ok: false, errors: { age: "age.notWhole" }, values: { age: "forty" } });
    expect(saveStep({}, step("person/1/age"), { age: "" })).toMatchObject({ errors: { age: "age.required" } });
    expect(saveStep({}, step("person/1/age"), { age: "200" })).toMatchObject({ errors: { age: "age.range" } });
    expect(saveStep({}, step("household-size"), { householdSize: "0" })).toMatchObject({ errors: { householdSize: "householdSize.range" } });
    expect(saveStep({}, step("savings"), { savings: "lots" })).toMatchObject({ errors: { savings: "amount.invalid" }, values: { savings: "lots" } });
    expect(saveStep({}, step("savings"), { savings: "" })).toMatchObject({ errors: { savings: "amount.required" } });
    expect(saveStep({}, step("savings"), { savings: "10.999" })).toMatchObject({ errors: { savings: "amount.decimals" } });
    expect(saveStep({}, step("home-size"), { floorArea: "big" })).toMatchObject({ errors: { floorArea: "area.invalid" } });
    expect(saveStep({}, step("home"), {})).toMatchObject({ errors: { ownsHome: "ownsHome.required" } });
    expect(saveStep({}, step("who"), { forWhom: "neighbour" })).toMatchObject({ errors: { forWhom: "forWhom.required" } });
  });

  it("reports both fields of the cars and homes page", () => {
    const r = saveStep({}, step("cars-and-homes"), { vehicles: "one", properties: "" });
    expect(r).toMatchObject({ ok: false, errors: { vehicles: "vehicles.notWhole", properties: "properties.required" } });
  });

  it("stores full-width and formatted numbers as numbers", () => {
    const r = saveStep({ householdSize: 1 }, step("person/1/income"), { income: "１，２００．５元" });
    expect(r.ok && r.answers.people?.[0].income).toBe(1200.5);
    const m = saveStep({}, step("home-size"), { floorArea: "６０平方米" });
    expect(m.ok && m.answers.floorArea).toBe(60);
  });

  it("'I don't know' stores unknown whatever is in the box, and shows an empty box again", () => {
    const r = saveStep({}, step("savings"), { savings: "abc", dontKnow: "1" });
    expect(r.ok && r.answers.savings).toBe("unknown");
    expect(r.ok && formValues(r.answers, step("savings"))).toEqual({ savings: "" });
  });

  it("shows saved answers in the inputs", () => {
    const { answers } = walk(mother_and_son);
    expect(formValues(answers, step("person/2/age"))).toEqual({ age: "70" });
    expect(formValues(answers, step("cars-and-homes"))).toEqual({ vehicles: "0", properties: "1" });
    expect(formValues(answers, step("person/1/work"))).toEqual({ work: "employed" });
  });

  it("knows its step ids and nothing else", () => {
    expect(parseStepId("person/12/income")).toMatchObject({ person: 11 });
    expect(parseStepId("person/0/age")).toBeNull();
    expect(parseStepId("person/1/savings")).toBeNull();
    expect(parseStepId("age")).toBeNull();
    expect(parseStepId("../answers")).toBeNull();
  });
});

describe("readAnswers", () => {
  it("keeps the good answers of a damaged draft and drops the rest", () => {
    const a = readAnswers({
      forWhom: "self",
      householdSize: 99,
      savings: -5,
      vehicles: 1,
      people: [{ age: 40, income: "unknown", work: "sometimes" }, "junk"],
      injected: "x",
    });
    expect(a).toEqual({ forWhom: "self", vehicles: 1, people: [{ age: 40, income: "unknown" }, {}] });
    expect(readAnswers(null)).toEqual({});
    expect(readAnswers([1, 2])).toEqual({});
  });

  it("round-trips complete answers unchanged", () => {
    const { answers } = walk(lone_elder);
    expect(readAnswers(JSON.parse(JSON.stringify(answers)))).toEqual(answers);
  });
});
