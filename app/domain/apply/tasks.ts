// The application's task list (GOV.UK "complete multiple tasks" pattern) as
// data: which tasks there are for these answers, each one's page and status.
// A task that needs an earlier one says "cannot start yet" rather than
// letting a person fill in a page whose answers would change under them.
import { evidenceChecklist, type ChecklistItem } from "~/domain/evidence";
import type { Household } from "~/domain/eligibility";
import { isOnBehalf, type ApplyAnswers } from "./answers";
import { validDetails } from "./forms";

export const TASK_IDS = ["who", "details", "consent", "household", "programmes", "documents", "submit"] as const;
export type TaskId = (typeof TASK_IDS)[number];
export type TaskStatus = "not_started" | "in_progress" | "completed" | "cannot_start";

export interface Task {
  id: TaskId;
  href: string;
  status: TaskStatus;
}

/** What the task list needs besides the answers. */
export interface ApplyState {
  answers: ApplyAnswers;
  /** a finished check exists in this browser (its household can be confirmed) */
  checkComplete: boolean;
  /** files uploaded to the draft, per evidence type */
  evidenceCounts: Record<string, number>;
  /** today in China (YYYY-MM-DD), for the ID number's birth date */
  today: string;
}

export const TASK_PATHS: Record<TaskId, string> = {
  who: "/apply/who",
  details: "/apply/details",
  consent: "/apply/consent",
  household: "/apply/household",
  programmes: "/apply/programmes",
  documents: "/apply/documents",
  submit: "/apply/answers",
};

export function whoStatus(a: ApplyAnswers): TaskStatus {
  if (!a.forWhom) return "not_started";
  if (a.forWhom === "self") return "completed";
  return a.relationship && a.consentMethod ? "completed" : "in_progress";
}

export function detailsStatus(a: ApplyAnswers, today: string): TaskStatus {
  if (whoStatus(a) !== "completed") return "cannot_start";
  if (!a.applicant && !a.helper) return "not_started";
  return validDetails(a, today) && a.callMe ? "completed" : "in_progress";
}

/** Only for "someone else" who agrees by a texted code. */
export function needsConsentCode(a: ApplyAnswers): boolean {
  return isOnBehalf(a) && a.consentMethod === "sms";
}

export function consentStatus(a: ApplyAnswers, today: string): TaskStatus {
  if (detailsStatus(a, today) !== "completed") return "cannot_start";
  // The code proves the phone now in the details: a changed phone needs a new code.
  const forThisPhone = a.consentCodeId !== undefined && a.consentCodePhone === a.applicant?.phone;
  if (forThisPhone && a.consentConfirmedAt) return "completed";
  return forThisPhone ? "in_progress" : "not_started";
}

export function householdStatus(a: ApplyAnswers, checkComplete: boolean): TaskStatus {
  if (a.household !== undefined) return "completed";
  return checkComplete ? "not_started" : "cannot_start";
}

export function programmesStatus(a: ApplyAnswers): TaskStatus {
  if (a.household === undefined) return "cannot_start";
  return a.programs && a.programs.length > 0 ? "completed" : "not_started";
}

/** The documents this application asks for (authorization only when consent is by document). */
export function applyChecklist(a: ApplyAnswers): ChecklistItem[] {
  const household = (a.household ?? { members: [] }) as Household;
  const items = evidenceChecklist({ household, onBehalf: isOnBehalf(a) });
  // With a confirmed code the 委托书 is not needed; keep it as an optional extra.
  if (isOnBehalf(a) && a.consentMethod === "sms") {
    return items.map((item) => (item.type === "authorization" ? { ...item, required: false } : item));
  }
  return items;
}

/** Required documents that have no file yet. */
export function missingDocuments(a: ApplyAnswers, counts: Record<string, number>): ChecklistItem[] {
  return applyChecklist(a).filter((item) => item.required && !(counts[item.type] > 0));
}

export function documentsStatus(a: ApplyAnswers, counts: Record<string, number>): TaskStatus {
  if (a.household === undefined || whoStatus(a) !== "completed") return "cannot_start";
  if (a.documentsDone && missingDocuments(a, counts).length === 0) return "completed";
  return Object.values(counts).some((n) => n > 0) || a.documentsDone ? "in_progress" : "not_started";
}

/** The tasks for these answers, in order. */
export function taskList(state: ApplyState): Task[] {
  const a = state.answers;
  const statuses: [TaskId, TaskStatus][] = [
    ["who", whoStatus(a)],
    ["details", detailsStatus(a, state.today)],
    ...(needsConsentCode(a) ? [["consent", consentStatus(a, state.today)] as [TaskId, TaskStatus]] : []),
    ["household", householdStatus(a, state.checkComplete)],
    ["programmes", programmesStatus(a)],
    ["documents", documentsStatus(a, state.evidenceCounts)],
  ];
  const ready = statuses.every(([, s]) => s === "completed");
  statuses.push(["submit", ready ? "not_started" : "cannot_start"]);
  return statuses.map(([id, status]) => ({ id, status, href: TASK_PATHS[id] }));
}

export function readyToSubmit(state: ApplyState): boolean {
  return taskList(state).find((t) => t.id === "submit")?.status !== "cannot_start";
}

/** The furthest task reached (for the caseworker who calls back). */
export function stepReached(state: ApplyState): TaskId {
  const tasks = taskList(state);
  return tasks.find((t) => t.status !== "completed")?.id ?? "submit";
}
