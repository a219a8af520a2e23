/**
 * The flags of the rule book's "Proactive identification", computed exactly
 * from a household's totals, each with the figures behind it, and the ranking
 * of flagged households (most flags first, then P lowest first, then
 * household_id).
 *
 * Household figures as the rule book says: N members, H = sum of monthly
 * incomes, out-of-pocket = sum over members, annualEducationCost = 0, so
 * R = out-of-pocket / 12 and P = max(0, H − R) / N. P is held exactly
 * (numerator and denominator in BigInt via `Exact`): no rounding before a
 * comparison; "below" is strictly less.
 */
import { Exact, type CompiledParameters, type Reason } from "~/domain/eligibility";
import type { HouseholdTally } from "./households";

export const FLAG_CODES = ["medical_no_labour", "likely_dibao", "lone_elderly", "severe_disability_low_income"] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

/** Same shape as the eligibility engine's reasons: {code, passed, values}. */
export type OutreachReason = Reason;

export interface ScreenedHousehold {
  householdId: string;
  flags: FlagCode[];
  members: number;
  /** P, exact */
  P: Exact;
  /** P in yuan with 2 decimals, rounded half up ("640.00") */
  perCapitaIncome: string;
  /** P in fen, rounded half up (database ranking column) */
  perCapitaIncomeFen: number;
  reasons: OutreachReason[];
  /** rows of this household that were skipped (malformed or repeated) */
  skippedRows: number;
  /** for fast ranking: P as a double (ties are settled exactly) */
  approxP: number;
}

const ELDERLY_AGE = 60;

function fen(n: number): Exact {
  return new Exact(BigInt(n), 100n);
}

/**
 * Screens one household; null when no flag applies. A household with skipped
 * rows carries a reason saying so, so that a caseworker checks the records
 * before relying on them.
 */
export function screenHousehold(t: HouseholdTally, params: CompiledParameters): ScreenedHousehold | null {
  const skippedRows = t.skippedRows;
  const N = t.members;
  if (N < 1) return null;
  const { S, lowIncomeLine, catastrophicMedical, text } = params;
  const H = fen(t.incomeFen);
  const outOfPocket = fen(t.medicalFen);
  // P = max(0, H − oop/12) / N = max(0, 12·H − oop) / (12·N), in fen over 100
  const twelveHMinusOop = 12n * BigInt(t.incomeFen) - BigInt(t.medicalFen);
  const P = new Exact(twelveHMinusOop > 0n ? twelveHMinusOop : 0n, 1200n * BigInt(N));
  const R = outOfPocket.divInt(12);
  const pText = P.toMoney();

  const flags: FlagCode[] = [];
  const reasons: OutreachReason[] = [];

  if (outOfPocket.gt(catastrophicMedical) && t.mainLabour === 0) {
    flags.push("medical_no_labour");
    reasons.push({
      code: "outreach.medical_no_labour",
      passed: true,
      values: { outOfPocket: outOfPocket.toMoney(), catastrophicMedical: text.catastrophicMedical, mainLabour: 0, members: N },
    });
  }
  if (P.lt(S) && !t.receivesDibao) {
    flags.push("likely_dibao");
    reasons.push({
      code: "outreach.likely_dibao",
      passed: true,
      values: { P: pText, S: text.S, H: H.toMoney(), R: R.toMoney(), members: N },
    });
  }
  if (N === 1 && t.soleAge >= ELDERLY_AGE && fen(t.soleIncomeFen).lt(S) && !t.receivesTekun && !t.receivesDibao) {
    flags.push("lone_elderly");
    reasons.push({
      code: "outreach.lone_elderly",
      passed: true,
      values: { age: t.soleAge, minAge: ELDERLY_AGE, monthlyIncome: fen(t.soleIncomeFen).toMoney(), S: text.S },
    });
  }
  if (t.severeDisability > 0 && P.lt(lowIncomeLine) && !t.anyReceiving) {
    flags.push("severe_disability_low_income");
    reasons.push({
      code: "outreach.severe_disability_low_income",
      passed: true,
      values: { severeMembers: t.severeDisability, P: pText, lowIncomeLine: text.lowIncomeLine, lowIncomeFactor: text.lowIncomeFactor, S: text.S },
    });
  }
  if (flags.length === 0) return null;
  if (skippedRows > 0) {
    reasons.push({
      code: "outreach.incomplete_records",
      passed: false,
      values: { skippedRows, lines: t.skippedLines.join(", ") },
    });
  }
  return {
    householdId: t.householdId,
    flags,
    members: N,
    P,
    perCapitaIncome: pText,
    perCapitaIncomeFen: Number(P.scaledInteger(100n, "half_up")),
    reasons,
    skippedRows,
    approxP: Number(P.n) / Number(P.d),
  };
}

/** Rank order of the rule book: most flags, then lowest P (exact), then household_id. */
export function compareScreened(a: ScreenedHousehold, b: ScreenedHousehold): number {
  if (a.flags.length !== b.flags.length) return b.flags.length - a.flags.length;
  // The doubles decide unless they are too close to trust; then compare exactly.
  const d = a.approxP - b.approxP;
  if (Math.abs(d) > 1e-9 * Math.max(1, Math.abs(a.approxP))) return d < 0 ? -1 : 1;
  const c = a.P.cmp(b.P);
  if (c !== 0) return c;
  return a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0;
}

export function rankScreened(list: ScreenedHousehold[]): ScreenedHousehold[] {
  return list.sort(compareScreened);
}
