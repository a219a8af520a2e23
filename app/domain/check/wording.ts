/**
 * Words for the check's pages, through the "check" namespace: whose question
 * it is ("you", "your family member", "person 2"), page titles, and the
 * check-your-answers rows. Takes any i18next-like t, so the server renders the
 * same words the browser would.
 */
import type { Translate } from "~/domain/eligibility";
import { UNKNOWN, personAnswers, type CheckAnswers } from "./answers";
import { applicableSteps, stepPath, type Step } from "./journey";
import type { Widget } from "./steps";

/** you: the resident; them: the family member they check for; member: person n (2nd and later). */
export type Voice = "you" | "them" | "member";

export interface Wording {
  voice: Voice;
  /** 1-based person number (person steps) */
  n: number | null;
  total: number | null;
}

export function wordingFor(answers: CheckAnswers, step: Step): Wording {
  const forOther = answers.forWhom === "other";
  if (step.person === null) return { voice: forOther ? "them" : "you", n: null, total: null };
  const voice: Voice = step.person > 0 ? "member" : forOther ? "them" : "you";
  return { voice, n: step.person + 1, total: answers.householdSize ?? null };
}

/** Household steps have no "member" wording; option labels only "you"/"them". */
export function shortVoice(voice: Voice): "you" | "them" {
  return voice === "you" ? "you" : "them";
}

/** The question, which is also the page's h1 and title. */
export function stepTitle(t: Translate, step: Step, wording: Wording): string {
  if (step.def.slug === "who") return t("check:steps.who.title");
  const voice = step.person === null ? shortVoice(wording.voice) : wording.voice;
  return t(`check:steps.${step.def.slug}.title_${voice}`, { n: wording.n });
}

/** "About you", "About person 2 of 3", "About your household". */
export function stepCaption(t: Translate, wording: Wording, isPerson: boolean): string {
  if (!isPerson) return t(`check:caption.household_${shortVoice(wording.voice)}`);
  return t(`check:caption.person_${wording.voice}`, { n: wording.n, total: wording.total });
}

export function optionLabel(t: Translate, step: Step, value: string, voice: Voice): string {
  if (step.def.slug === "work") return t(`check:steps.work.options.${value}_${shortVoice(voice)}`);
  return t(`check:steps.${step.def.slug}.options.${value}`);
}

function numberFormat(lng: string): Intl.NumberFormat {
  return new Intl.NumberFormat(lng === "en" ? "en-GB" : "zh-CN", { maximumFractionDigits: 2 });
}

/** 1200 → "1,200" (both languages group thousands the same way). */
export function formatNumber(lng: string, value: number): string {
  return numberFormat(lng).format(value);
}

export interface SummaryRow {
  /** the answer field, unique on the page */
  field: string;
  label: string;
  value: string;
  changeHref: string;
  /** read after "Change" by screen readers, so every link says what it changes */
  changeContext: string;
}

export interface SummarySection {
  title: string;
  rows: SummaryRow[];
}

function shownValue(t: Translate, lng: string, step: Step, widget: Widget, value: unknown, voice: Voice): string {
  if (value === UNKNOWN && widget.kind !== "choice") return t("check:answers.unknown");
  if (widget.kind === "choice") {
    if (step.def.slug === "work") return t(`check:steps.work.answers.${String(value)}`);
    return optionLabel(t, step, String(value), voice);
  }
  if (widget.kind === "amount" && typeof value === "number") {
    return t(widget.unit === "squareMetres" ? "check:answers.area" : "check:answers.yuan", { value: formatNumber(lng, value) });
  }
  return typeof value === "number" ? String(value) : "";
}

function rowsFor(t: Translate, lng: string, answers: CheckAnswers, step: Step, section: string): SummaryRow[] {
  const widget = step.def.widget;
  const wording = wordingFor(answers, step);
  const source: Record<string, unknown> = step.person === null ? answers : personAnswers(answers, step.person);
  const href = `${stepPath(step)}?change=1`;
  const fields = widget.kind === "counts" ? widget.fields.map((f) => f.name) : [widget.name];
  return fields.map((field) => {
    const label =
      widget.kind === "counts" ? t(`check:steps.${step.def.slug}.${field}.summary`) : t(`check:steps.${step.def.slug}.summary`);
    return {
      field: step.person === null ? field : `person-${step.person + 1}-${field}`,
      label,
      value: shownValue(t, lng, step, widget, source[field], wording.voice),
      changeHref: href,
      changeContext: step.person === null ? label : t("check:answers.changeContext", { label, section }),
    };
  });
}

/**
 * The check-your-answers page: the household questions, one section per
 * person, then money and home. Only questions that apply are listed.
 */
export function summarySections(t: Translate, lng: string, answers: CheckAnswers): SummarySection[] {
  const steps = applicableSteps(answers);
  const forOther = answers.forWhom === "other";
  const household = t(`check:caption.household_${forOther ? "them" : "you"}`);
  const first: SummarySection = { title: household, rows: [] };
  const people: SummarySection[] = [];
  const money: SummarySection = { title: t("check:answers.moneyAndHome"), rows: [] };
  for (const step of steps) {
    if (step.person !== null) {
      const wording = wordingFor(answers, step);
      const title = stepCaption(t, wording, true);
      people[step.person] ??= { title, rows: [] };
      people[step.person].rows.push(...rowsFor(t, lng, answers, step, title));
    } else if (step.def.slug === "who" || step.def.slug === "household-size") {
      first.rows.push(...rowsFor(t, lng, answers, step, household));
    } else {
      money.rows.push(...rowsFor(t, lng, answers, step, money.title));
    }
  }
  return [first, ...people.filter(Boolean), money].filter((s) => s.rows.length > 0);
}
