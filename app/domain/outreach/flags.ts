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
  /** P's numerator and denominator as numbers when both are small enough to cross-multiply exactly (else -1) */
  smallN: number;
  smallD: number;
}

/** Below this, n₁·d₂ < 2^53: the cross products of two such fractions are exact doubles. */
const SMALL = 2 ** 26;

const ELDERLY_AGE = 60;

function fen(n: number): Exact {
  return new Exact(BigInt(n), 100n);
}

/** The parameters the flags compare with, in whole fen, when they are whole fen (else null: the BigInt path). */
interface FenLines {
  S: number;
  lowIncomeLine: number;
  catastrophicMedical: number;
}
const fenLinesCache = new WeakMap<CompiledParameters, FenLines | null>();
function fenLines(params: CompiledParameters): FenLines | null {
  let v = fenLinesCache.get(params);
  if (v === undefined) {
    const whole = (x: Exact): number | null => {
      const f = x.n * 100n;
      return f % x.d === 0n && f / x.d >= 0n && f / x.d < BigInt(SMALL) ? Number(f / x.d) : null;
    };
    const S = whole(params.S);
    const L = whole(params.lowIncomeLine);
    const C = whole(params.catastrophicMedical);
    v = S === null || L === null || C === null ? null : { S, lowIncomeLine: L, catastrophicMedical: C };
    fenLinesCache.set(params, v);
  }
  return v;
}

/** Largest fen sums the number path takes (12 × income stays far below 2^53). */
const MAX_FAST_FEN = 2 ** 45;

/** floor(a / b) for non-negative safe integers, exact. */
function idiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q--;
  else if ((q + 1) * b <= a) q++;
  return q;
}

/** "1234.50" from whole fen (≥ 0), as Exact.toMoney writes it. */
function fenText(fen: number): string {
  const s = String(fen);
  const padded = s.length < 3 ? s.padStart(3, "0") : s;
  const cut = padded.length - 2;
  return `${padded.slice(0, cut)}.${padded.slice(cut)}`;
}

/**
 * Screens one household; null when no flag applies. A household with skipped
 * rows carries a reason saying so, so that a caseworker checks the records
 * before relying on them.
 *
 * Computed in whole numbers (doubles holding integers far below 2^53, so
 * exact) when the sums and the rule figures allow, else with BigInt fractions
 * (screenHouseholdExact); both give the same result (tested). Why: BigInt
 * arithmetic for a few hundred thousand flagged households measured as a
 * large share of the time after reading.
 */
export function screenHousehold(t: HouseholdTally, params: CompiledParameters): ScreenedHousehold | null {
  const lines = fenLines(params);
  const N = t.members;
  if (lines === null || N < 1 || t.incomeFen > MAX_FAST_FEN || t.medicalFen > MAX_FAST_FEN || N > 1_000_000) return screenHouseholdExact(t, params);
  const { text } = params;
  const Hf = t.incomeFen;
  const Mf = t.medicalFen;
  // P = max(0, 12·H − oop) / (1200·N) yuan, with H and oop in fen
  const twelveHMinusOop = 12 * Hf - Mf;
  const n = twelveHMinusOop > 0 ? twelveHMinusOop : 0;
  const d = 1200 * N;
  // P < X (X in whole fen) ⇔ n < 12·N·X (written out below: a closure per household costs under tsx's keepNames)
  const twelveN = 12 * N;
  const pFen = idiv(n + 6 * N, 12 * N); // half up to whole fen
  const pText = fenText(pFen);

  const flags: FlagCode[] = [];
  const reasons: OutreachReason[] = [];
  if (Mf > lines.catastrophicMedical && t.mainLabour === 0) {
    flags.push("medical_no_labour");
    reasons.push({
      code: "outreach.medical_no_labour",
      passed: true,
      values: { outOfPocket: fenText(Mf), catastrophicMedical: text.catastrophicMedical, mainLabour: 0, members: N },
    });
  }
  if (n < twelveN * lines.S && !t.receivesDibao) {
    flags.push("likely_dibao");
    reasons.push({
      code: "outreach.likely_dibao",
      passed: true,
      values: { P: pText, S: text.S, H: fenText(Hf), R: fenText(idiv(Mf + 6, 12)), members: N },
    });
  }
  if (N === 1 && t.soleAge >= ELDERLY_AGE && t.soleIncomeFen < lines.S && !t.receivesTekun && !t.receivesDibao) {
    flags.push("lone_elderly");
    reasons.push({
      code: "outreach.lone_elderly",
      passed: true,
      values: { age: t.soleAge, minAge: ELDERLY_AGE, monthlyIncome: fenText(t.soleIncomeFen), S: text.S },
    });
  }
  if (t.severeDisability > 0 && n < twelveN * lines.lowIncomeLine && !t.anyReceiving) {
    flags.push("severe_disability_low_income");
    reasons.push({
      code: "outreach.severe_disability_low_income",
      passed: true,
      values: { severeMembers: t.severeDisability, P: pText, lowIncomeLine: text.lowIncomeLine, lowIncomeFactor: text.lowIncomeFactor, S: text.S },
    });
  }
  if (flags.length === 0) return null;
  const skippedRows = t.skippedRows;
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
    P: new Exact(BigInt(n), BigInt(d)),
    perCapitaIncome: pText,
    perCapitaIncomeFen: pFen,
    reasons,
    skippedRows,
    approxP: n / d,
    smallN: n < SMALL ? n : -1,
    smallD: d < SMALL ? d : -1,
  };
}

/** screenHousehold with BigInt fractions throughout (any size). */
export function screenHouseholdExact(t: HouseholdTally, params: CompiledParameters): ScreenedHousehold | null {
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
    smallN: P.n < BigInt(SMALL) ? Number(P.n) : -1,
    smallD: P.d < BigInt(SMALL) ? Number(P.d) : -1,
  };
}

/** What the ranking reads of a screened household (parts of a parallel run send only this). */
export type RankKey = Pick<ScreenedHousehold, "approxP" | "smallN" | "smallD" | "P" | "householdId"> & { flags: { length: number } };

/** Rank order of the rule book: most flags, then lowest P (exact), then household_id. */
export function compareScreened(a: RankKey, b: RankKey): number {
  if (a.flags.length !== b.flags.length) return b.flags.length - a.flags.length;
  // The doubles decide unless they are too close to trust; then compare exactly.
  const d = a.approxP - b.approxP;
  if (Math.abs(d) > 1e-9 * Math.max(1, Math.abs(a.approxP))) return d < 0 ? -1 : 1;
  let c: number;
  if (a.smallN >= 0 && a.smallD >= 0 && b.smallN >= 0 && b.smallD >= 0) {
    // exact without BigInt (many households share a P, such as 0.00)
    const x = a.smallN * b.smallD;
    const y = b.smallN * a.smallD;
    c = x < y ? -1 : x > y ? 1 : 0;
  } else c = a.P.cmp(b.P);
  if (c !== 0) return c;
  return a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0;
}

export function rankScreened(list: ScreenedHousehold[]): ScreenedHousehold[] {
  return list.sort(compareScreened);
}
