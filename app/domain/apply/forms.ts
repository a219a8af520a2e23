// Reading each task page's form into answers, or into error keys (full keys
// with their namespace, e.g. "apply:errors.forWhom.required" or
// "application:errors.idNumber.checkDigit", so every channel words an ID
// number or phone problem the same way). What was typed comes back with the
// errors so nothing is lost.
import { cleanText, characterCount, normalizeMobile } from "~/domain/callback";
import { PROGRAM_CODES, type Assessment, type ProgramCode } from "~/domain/eligibility";
import { validateIdNumber } from "~/domain/identity";
import { isDistrict } from "~/domain/case/districts";
import { CONSENT_METHODS, FOR_WHOM, RELATIONSHIPS, type ApplyAnswers, type ConsentMethod, type ForWhom, type Relationship } from "./answers";

export const NAME_MAX = 50;

export type FormResult = { ok: true; answers: ApplyAnswers } | { ok: false; errors: Record<string, string>; values: Record<string, string> };

type Form = Record<string, string | undefined>;

function oneOf<T extends string>(list: readonly T[], value: string | undefined): T | null {
  return value !== undefined && (list as readonly string[]).includes(value) ? (value as T) : null;
}

/** "For me" or "for someone else", and for someone else who they are to you and how they agree. */
export function readWho(answers: ApplyAnswers, form: Form): FormResult {
  const errors: Record<string, string> = {};
  const forWhom = oneOf<ForWhom>(FOR_WHOM, form.forWhom);
  if (!forWhom) errors.forWhom = "apply:errors.forWhom.required";
  let relationship: Relationship | null = null;
  let consentMethod: ConsentMethod | null = null;
  if (forWhom === "other") {
    relationship = oneOf(RELATIONSHIPS, form.relationship);
    if (!relationship) errors.relationship = "apply:errors.relationship.required";
    consentMethod = oneOf(CONSENT_METHODS, form.consentMethod);
    if (!consentMethod) errors.consentMethod = "apply:errors.consentMethod.required";
  }
  if (!forWhom || Object.keys(errors).length > 0) {
    return { ok: false, errors, values: { forWhom: form.forWhom ?? "", relationship: form.relationship ?? "", consentMethod: form.consentMethod ?? "" } };
  }
  const next: ApplyAnswers = { ...answers, forWhom };
  if (forWhom === "other" && relationship && consentMethod) {
    next.relationship = relationship;
    next.consentMethod = consentMethod;
  } else {
    delete next.relationship;
    delete next.consentMethod;
    delete next.helper;
  }
  return { ok: true, answers: next };
}

function nameProblem(raw: string | undefined, field: string): string | null {
  const name = cleanText(raw);
  if (name === null) return `apply:errors.${field}.required`;
  if (characterCount(name) > NAME_MAX) return "application:errors.name.tooLong";
  return null;
}

function phoneProblem(raw: string | undefined): string | null {
  const r = normalizeMobile(raw ?? "");
  return r.ok ? null : `application:errors.${r.error}`;
}

function idProblem(raw: string | undefined, today: string): string | null {
  const r = validateIdNumber(raw ?? "", { asOf: today });
  return r.ok ? null : `application:errors.${r.error}`;
}

/** Field name → error key for the details as stored (empty when all are good). */
function detailsErrors(a: ApplyAnswers, today: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const add = (field: string, problem: string | null) => {
    if (problem) errors[field] = problem;
  };
  add("applicantName", nameProblem(a.applicant?.name, "applicantName"));
  add("applicantIdNumber", idProblem(a.applicant?.idNumber, today));
  add("applicantPhone", phoneProblem(a.applicant?.phone));
  // Shown on the public notice list if the help is approved (the Demo City list).
  add("district", isDistrict(a.district) ? null : "apply:errors.district.required");
  if (a.forWhom === "other") {
    add("helperName", nameProblem(a.helper?.name, "helperName"));
    add("helperPhone", phoneProblem(a.helper?.phone));
  }
  return errors;
}

export function validDetails(a: ApplyAnswers, today: string): boolean {
  return Object.keys(detailsErrors(a, today)).length === 0;
}

/**
 * The applicant's name, ID number and phone (and for someone else, the
 * helper's name and phone), the district they live in, and "may we call you
 * if you do not finish".
 * Stored tidied: the phone as E.164, the ID number upper case without spaces.
 */
export function readDetails(answers: ApplyAnswers, form: Form, today: string): FormResult {
  const typed = {
    applicant: { name: form.applicantName ?? "", idNumber: form.applicantIdNumber ?? "", phone: form.applicantPhone ?? "" },
    helper: { name: form.helperName ?? "", phone: form.helperPhone ?? "" },
  };
  const district = isDistrict(form.district) ? form.district : "";
  const draft: ApplyAnswers = { ...answers, ...typed, district };
  const errors = detailsErrors(draft, today);
  const callMe = form.callMe === "yes" || form.callMe === "no" ? form.callMe : null;
  if (!callMe) errors.callMe = "apply:errors.callMe.required";
  if (Object.keys(errors).length > 0) {
    return {
      ok: false,
      errors,
      values: {
        applicantName: typed.applicant.name,
        applicantIdNumber: typed.applicant.idNumber,
        applicantPhone: typed.applicant.phone,
        helperName: typed.helper.name,
        helperPhone: typed.helper.phone,
        district,
        callMe: form.callMe ?? "",
      },
    };
  }
  const phone = (raw: string) => {
    const r = normalizeMobile(raw);
    return r.ok ? r.phone : raw;
  };
  const id = validateIdNumber(typed.applicant.idNumber, { asOf: today });
  const next: ApplyAnswers = {
    ...answers,
    applicant: { name: cleanText(typed.applicant.name) ?? "", idNumber: id.ok ? id.value : typed.applicant.idNumber, phone: phone(typed.applicant.phone) },
    district,
    callMe: callMe ?? "no",
  };
  if (answers.forWhom === "other") next.helper = { name: cleanText(typed.helper.name) ?? "", phone: phone(typed.helper.phone) };
  else delete next.helper;
  return { ok: true, answers: next };
}

/** The phone we may call about an unfinished draft: the helper's when someone applies for another. */
export function contactPhone(a: ApplyAnswers): string | null {
  const raw = a.forWhom === "other" ? a.helper?.phone : a.applicant?.phone;
  if (!raw) return null;
  const r = normalizeMobile(raw);
  return r.ok ? r.phone : null;
}

/** The programmes the results suggest: eligible or needing a review, in rule-book order. */
export function suggestedPrograms(assessment: Assessment): ProgramCode[] {
  return assessment.results.filter((r) => r.outcome !== "not_eligible").map((r) => r.program);
}

export function readProgrammes(answers: ApplyAnswers, chosen: readonly string[]): FormResult {
  const programs = PROGRAM_CODES.filter((code) => chosen.includes(code));
  if (programs.length === 0) return { ok: false, errors: { programs: "apply:errors.programs.required" }, values: {} };
  return { ok: true, answers: { ...answers, programs } };
}

/** A 6-digit code as typed (spaces and full-width digits allowed), or null. */
export function readCode(raw: string | undefined): string | null {
  const digits = String(raw ?? "")
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s-]/g, "");
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** "LA-7K4M-Q9XA" → "L A, 7 K 4 M, Q 9 X A": easy to read aloud on the phone. */
export function spacedReference(reference: string): string {
  return reference
    .split("-")
    .map((group) => group.split("").join(" "))
    .join(", ");
}

/** The first value of each text field of a submitted form. */
export function formInput(form: FormData): Form {
  const input: Form = {};
  for (const [key, value] of form) if (typeof value === "string" && !(key in input)) input[key] = value;
  return input;
}

type Translate = (key: string) => string;

/** Error keys (with namespace) → the messages a person reads. */
export function translateErrors(t: Translate, errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([field, key]) => [field, t(key)]));
}
