// The application's task list as data: statuses move from "cannot start yet"
// to "completed" as the answers come in; the household comes only from a
// finished check; the documents checklist follows the household and the way
// the applicant agreed.
import { describe, expect, it } from "vitest";
import { applyChecklist, missingDocuments, readApplyAnswers, readDetails, readWho, spacedReference, taskList, type ApplyAnswers, type ApplyState } from "~/domain/apply";
import { idCheckCharacter } from "~/domain/identity";

const TODAY = "2026-11-28";
const ID = "11010519491231002" + idCheckCharacter("11010519491231002");

function state(answers: ApplyAnswers, extra: Partial<ApplyState> = {}): ApplyState {
  return { answers, checkComplete: true, evidenceCounts: {}, today: TODAY, ...extra };
}
function statuses(s: ApplyState): Record<string, string> {
  return Object.fromEntries(taskList(s).map((t) => [t.id, t.status]));
}

const details = { applicant: { name: "王秀英", idNumber: ID, phone: "+8613800138000" }, district: "dongcheng", callMe: "no" as const };
const household = { members: [{ age: 82, monthlyIncome: 600, disability: "none" as const }] };

describe("task statuses", () => {
  it("starts with only 'who' open, and the household waiting for the check", () => {
    expect(statuses(state({}, { checkComplete: false }))).toEqual({
      who: "not_started",
      details: "cannot_start",
      household: "cannot_start",
      programmes: "cannot_start",
      documents: "cannot_start",
      submit: "cannot_start",
    });
    expect(statuses(state({})).household).toBe("not_started");
  });

  it("marks who in progress until someone else's relationship and consent are given", () => {
    expect(statuses(state({ forWhom: "other" })).who).toBe("in_progress");
    expect(statuses(state({ forWhom: "other", relationship: "child", consentMethod: "document" })).who).toBe("completed");
  });

  it("keeps details in progress while any field is invalid or the call question is unanswered", () => {
    expect(statuses(state({ forWhom: "self", applicant: { ...details.applicant, idNumber: "110" } })).details).toBe("in_progress");
    expect(statuses(state({ forWhom: "self", applicant: details.applicant })).details).toBe("in_progress");
    expect(statuses(state({ forWhom: "self", ...details })).details).toBe("completed");
  });

  it("adds the consent task only for someone else agreeing by code, and a changed phone needs a new code", () => {
    const base: ApplyAnswers = { forWhom: "other", relationship: "child", consentMethod: "sms", ...details, helper: { name: "李娜", phone: "+8613500135000" } };
    expect(statuses(state(base)).consent).toBe("not_started");
    expect(statuses(state({ ...base, consentMethod: "document" })).consent).toBeUndefined();
    const confirmed = { ...base, consentCodeId: "c1", consentCodePhone: "+8613800138000", consentConfirmedAt: "2026-11-28T00:00:00Z" };
    expect(statuses(state(confirmed)).consent).toBe("completed");
    expect(statuses(state({ ...confirmed, applicant: { ...details.applicant, phone: "+8613900139000" } })).consent).toBe("not_started");
  });

  it("opens submit only when every task is completed", () => {
    const answers: ApplyAnswers = { forWhom: "self", ...details, household, programs: ["dibao"], documentsDone: true };
    expect(statuses(state(answers, { evidenceCounts: { id_card: 1, household_register: 1 } })).submit).toBe("cannot_start");
    const all = statuses(state(answers, { evidenceCounts: { id_card: 1, household_register: 2, income_proof: 1 } }));
    expect(all).toEqual({ who: "completed", details: "completed", household: "completed", programmes: "completed", documents: "completed", submit: "not_started" });
  });
});

describe("documents checklist", () => {
  it("follows the household: income proof for an earner, medical bills and disability certificate when they apply", () => {
    const types = applyChecklist({ forWhom: "self", household: { members: [{ monthlyIncome: 0, disability: "severe" }], annualMedicalOutOfPocket: 5000 } }).map((i) => i.type);
    expect(types).toEqual(["id_card", "household_register", "medical_bills", "disability_certificate", "other"]);
  });

  it("requires the authorization for consent by letter, not for consent by code", () => {
    const byLetter = applyChecklist({ forWhom: "other", consentMethod: "document", household });
    expect(byLetter.find((i) => i.type === "authorization")?.required).toBe(true);
    const byCode = applyChecklist({ forWhom: "other", consentMethod: "sms", household });
    expect(byCode.find((i) => i.type === "authorization")?.required).toBe(false);
    expect(missingDocuments({ forWhom: "other", consentMethod: "sms", household }, { id_card: 1, household_register: 1, income_proof: 1 })).toEqual([]);
  });
});

describe("reading forms", () => {
  it("forgets someone else's relationship and helper when the answer becomes 'for me'", () => {
    const r = readWho({ forWhom: "other", relationship: "child", consentMethod: "sms", helper: { name: "李娜", phone: "x" } }, { forWhom: "self" });
    expect(r).toEqual({ ok: true, answers: { forWhom: "self" } });
  });

  it("stores details tidied: E.164 phone, upper-case ID number", () => {
    const r = readDetails({ forWhom: "self" }, { applicantName: " 王秀英 ", applicantIdNumber: ID.toLowerCase(), applicantPhone: "138 0013 8000", district: "fengtai", callMe: "yes" }, TODAY);
    expect(r).toEqual({ ok: true, answers: { forWhom: "self", applicant: { name: "王秀英", idNumber: ID, phone: "+8613800138000" }, district: "fengtai", callMe: "yes" } });
  });

  it("asks which district the person lives in: required, one of Demo City's", () => {
    const form = { applicantName: "王秀英", applicantIdNumber: ID, applicantPhone: "138 0013 8000", callMe: "yes" };
    for (const district of [undefined, "", "atlantis"]) {
      const r = readDetails({ forWhom: "self" }, { ...form, district }, TODAY);
      expect(r.ok, String(district)).toBe(false);
      if (!r.ok) expect(r.errors).toEqual({ district: "apply:errors.district.required" });
    }
    const chosen = readDetails({ forWhom: "self" }, { ...form, district: "xicheng" }, TODAY);
    expect(chosen.ok && chosen.answers.district).toBe("xicheng");
  });

  it("drops only the stored fields that no longer fit", () => {
    expect(readApplyAnswers({ forWhom: "self", relationship: "stranger", programs: ["dibao"] })).toEqual({ forWhom: "self", programs: ["dibao"] });
    expect(readApplyAnswers(null)).toEqual({});
  });

  it("spaces a reference for reading aloud", () => {
    expect(spacedReference("LA-7K4M-Q9XA")).toBe("L A, 7 K 4 M, Q 9 X A");
  });
});
