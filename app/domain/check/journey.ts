/**
 * Moving through the check: the plan of steps for the answers so far, the
 * next and previous applicable step, the first unanswered one, and reading a
 * step's form input into answers (or into error keys, namespace "check",
 * under "errors."). Pure functions of the answers: no I/O, no clock.
 */
import { UNKNOWN, personAnswers, withPerson, type CheckAnswers } from "./answers";
import { parseAmount, parseChoice, parseWholeNumber } from "./parse";
import {
  ALL_STEP_DEFS,
  HOUSEHOLD_STEPS_AFTER,
  HOUSEHOLD_STEPS_BEFORE,
  PERSON_STEPS,
  widgetFields,
  type AmountWidget,
  type StepDef,
  type WholeNumberWidget,
} from "./steps";

/** One page of the check: a step, for the household or for one person. */
export interface Step {
  /** the URL path under /check, e.g. "savings" or "person/2/age" */
  id: string;
  def: StepDef;
  /** 0-based member index for person steps, null for household steps */
  person: number | null;
}

/** The name of the submit button that answers "I don't know" on amount pages. */
export const DONT_KNOW_FIELD = "dontKnow";

export type FormInput = Record<string, string | undefined>;

export type SaveResult =
  | { ok: true; answers: CheckAnswers }
  /** errors: field name → error key; values: what was typed, to show it again */
  | { ok: false; errors: Record<string, string>; values: Record<string, string> };

function makeStep(def: StepDef, person: number | null): Step {
  return { id: person === null ? def.slug : `person/${person + 1}/${def.slug}`, def, person };
}

/** Every step of the check for these answers, applicable or not, in order. */
export function plan(answers: CheckAnswers): Step[] {
  const steps = HOUSEHOLD_STEPS_BEFORE.map((def) => makeStep(def, null));
  const n = answers.householdSize;
  if (n === undefined) return steps; // nothing after the household size can be planned yet
  for (let i = 0; i < n; i++) for (const def of PERSON_STEPS) steps.push(makeStep(def, i));
  for (const def of HOUSEHOLD_STEPS_AFTER) steps.push(makeStep(def, null));
  return steps;
}

/** The steps that apply to these answers, in order. */
export function applicableSteps(answers: CheckAnswers): Step[] {
  return plan(answers).filter((s) => s.def.applies(answers, s.person));
}

/** A step by its id, whether or not it applies (null for an unknown id). */
export function parseStepId(id: string): Step | null {
  const m = /^person\/([1-9]\d?)\/([a-z-]+)$/.exec(id);
  if (m) {
    const def = PERSON_STEPS.find((d) => d.slug === m[2]);
    return def ? makeStep(def, Number(m[1]) - 1) : null;
  }
  const def = ALL_STEP_DEFS.find((d) => d.scope === "household" && d.slug === id);
  return def ? makeStep(def, null) : null;
}

function stored(answers: CheckAnswers, step: Step, field: string): unknown {
  const source: Record<string, unknown> = step.person === null ? answers : personAnswers(answers, step.person);
  return source[field];
}

export function isAnswered(answers: CheckAnswers, step: Step): boolean {
  return widgetFields(step.def.widget).every((f) => stored(answers, step, f) !== undefined);
}

/** The first applicable step without an answer, or null when the check is complete. */
export function firstUnanswered(answers: CheckAnswers): Step | null {
  return applicableSteps(answers).find((s) => !isAnswered(answers, s)) ?? null;
}

export function isComplete(answers: CheckAnswers): boolean {
  return answers.householdSize !== undefined && firstUnanswered(answers) === null;
}

/** Whether this step is one of the applicable steps for these answers. */
export function stepApplies(answers: CheckAnswers, stepId: string): boolean {
  return applicableSteps(answers).some((s) => s.id === stepId);
}

/**
 * Whether a person may open this step now: it applies and every applicable step
 * before it has an answer (no jumping ahead past unanswered questions).
 */
export function isReachable(answers: CheckAnswers, stepId: string): boolean {
  for (const step of applicableSteps(answers)) {
    if (step.id === stepId) return true;
    if (!isAnswered(answers, step)) return false;
  }
  return false;
}

/** The applicable step after `currentId` (answers already include the new answer); null: check your answers. */
export function nextStep(answers: CheckAnswers, currentId: string): Step | null {
  const all = plan(answers);
  const at = all.findIndex((s) => s.id === currentId);
  for (let i = at + 1; i < all.length; i++) {
    if (all[i].def.applies(answers, all[i].person)) return all[i];
  }
  return null;
}

/** The applicable step before `currentId`; null on the first question (back to the start page). */
export function previousStep(answers: CheckAnswers, currentId: string): Step | null {
  const all = plan(answers);
  const at = all.findIndex((s) => s.id === currentId);
  for (let i = at - 1; i >= 0; i--) {
    if (all[i].def.applies(answers, all[i].person)) return all[i];
  }
  return null;
}

function showNumber(value: unknown): string {
  return typeof value === "number" ? String(value) : "";
}

/** What to put in the step's inputs: the saved answer ("I don't know" shows an empty box). */
export function formValues(answers: CheckAnswers, step: Step): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of widgetFields(step.def.widget)) {
    const v = stored(answers, step, field);
    values[field] = typeof v === "string" ? (v === UNKNOWN && step.def.widget.kind === "amount" ? "" : v) : showNumber(v);
  }
  return values;
}

function readWhole(widget: WholeNumberWidget, raw: string | undefined) {
  const r = parseWholeNumber(raw, widget);
  return r.ok ? r : { ok: false as const, key: `${widget.name}.${r.problem}` };
}

function readAmount(widget: AmountWidget, raw: string | undefined) {
  const suffixes = widget.unit === "squareMetres" ? ["平方米", "平米", "平方", "m2", "sqm", "平"] : [];
  const r = parseAmount(raw, { max: widget.max, suffixes });
  const group = widget.unit === "squareMetres" ? "area" : "amount";
  return r.ok ? r : { ok: false as const, key: `${group}.${r.problem}` };
}

/**
 * Reads a step's form input. On success, returns the answers with this step's
 * fields set (and the step's follow-on changes); otherwise the error key of
 * each field in error and the typed values, so nothing typed is lost.
 */
export function saveStep(answers: CheckAnswers, step: Step, form: FormInput): SaveResult {
  const widget = step.def.widget;
  const patch: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const values: Record<string, string> = {};
  switch (widget.kind) {
    case "choice": {
      const r = parseChoice(form[widget.name], widget.options);
      if (r.ok) patch[widget.name] = r.value;
      else errors[widget.name] = `${widget.name}.required`;
      values[widget.name] = form[widget.name] ?? "";
      break;
    }
    case "wholeNumber": {
      const r = readWhole(widget, form[widget.name]);
      if (r.ok) patch[widget.name] = r.value;
      else errors[widget.name] = r.key;
      values[widget.name] = form[widget.name] ?? "";
      break;
    }
    case "amount": {
      values[widget.name] = form[widget.name] ?? "";
      if (form[DONT_KNOW_FIELD]) {
        patch[widget.name] = UNKNOWN;
        break;
      }
      const r = readAmount(widget, form[widget.name]);
      if (r.ok) patch[widget.name] = r.value;
      else errors[widget.name] = r.key;
      break;
    }
    case "counts": {
      for (const field of widget.fields) {
        const r = readWhole(field, form[field.name]);
        if (r.ok) patch[field.name] = r.value;
        else errors[field.name] = r.key;
        values[field.name] = form[field.name] ?? "";
      }
      break;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  let next: CheckAnswers = step.person === null ? { ...answers, ...patch } : withPerson(answers, step.person, patch);
  if (step.def.after) next = step.def.after(next);
  return { ok: true, answers: next };
}

/** The URL of a step's page. */
export function stepPath(step: Step | string): string {
  return `/check/${typeof step === "string" ? step : step.id}`;
}
