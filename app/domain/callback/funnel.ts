// The check's drop-off funnel as data: which step ids are recorded (one per
// question, whoever in the household it is asked about, then the answers and
// results pages) and their journey order, for the staff dashboard.
import { ALL_STEP_DEFS, type Step } from "~/domain/check";

export const CHECK_JOURNEY = "check";
export const CHECK_END_STEPS = ["answers", "results"] as const;

/** The funnel's id for a check page: the question's slug ("person/2/age" → "age"). */
export function funnelStepId(step: Step): string {
  return step.def.slug;
}

/** Every funnel step of the check, in the order a person meets them. */
export function checkFunnelOrder(): string[] {
  return [...ALL_STEP_DEFS.map((def) => def.slug), ...CHECK_END_STEPS];
}

export interface FunnelRow {
  step: string;
  drafts: number;
  /** share of the drafts that reached the first step, 0–100, whole percent */
  percentOfStart: number;
}

/** Counts per step in journey order; steps nobody reached show 0, unknown ids are dropped. */
export function funnelRows(counts: ReadonlyMap<string, number>, order: readonly string[] = checkFunnelOrder()): FunnelRow[] {
  const start = counts.get(order[0]) ?? 0;
  return order.map((step) => {
    const drafts = counts.get(step) ?? 0;
    return { step, drafts, percentOfStart: start > 0 ? Math.round((drafts / start) * 100) : 0 };
  });
}
