/**
 * Per-household running totals of the screening. Rows arrive in any order, so
 * each household keeps only the few figures the flags need (members, income
 * and out-of-pocket sums in fen, main-labour and severe-disability counts,
 * what is received, the sole member's age and income), not its rows. The
 * totals live in typed arrays indexed by household number (a Map gives the
 * number): a million person rows make no million objects for the garbage
 * collector to walk, which measured as the largest cost of the screening.
 *
 * A household with a malformed row (or a repeated person_id) is still
 * screened on its good rows, and its result says how many rows were skipped
 * and on which lines. Why: a flag only leads a caseworker to check with the
 * family, so screening on what is known and saying it is incomplete costs at
 * most a call, while dropping the household would hide a family that may be
 * in need because one department mistyped one field.
 */
import { isMainLabour } from "~/domain/eligibility";
import { MAX_AGE, type PersonRecord } from "./row";

/** One household's totals, as the flags read them. */
export interface HouseholdTally {
  householdId: string;
  members: number;
  incomeFen: number;
  medicalFen: number;
  mainLabour: number;
  severeDisability: number;
  /** some member has something in `receiving` */
  anyReceiving: boolean;
  receivesDibao: boolean;
  receivesTekun: boolean;
  /** the first member's age and income (meaningful when members === 1) */
  soleAge: number;
  soleIncomeFen: number;
  /** rows of this household skipped (malformed or repeated person_id) */
  skippedRows: number;
  /** their file lines (the first few) */
  skippedLines: number[];
}

/** Keeps at most this many line numbers per household (the count is always exact). */
const MAX_LINES_KEPT = 20;
const ANY_RECEIVING = 1;
const DIBAO = 2;
const TEKUN = 4;
/** a member asked not to be screened (ScreeningOptOut) */
const EXCLUDED = 8;

/**
 * isMainLabour (the eligibility engine's rule) for every age the rows allow,
 * asked once: calling it per row built its three-valued conditions a million
 * times. Index: age + (canWork ? MAX_AGE + 1 : 0).
 */
const MAIN_LABOUR: readonly boolean[] = [false, true].flatMap((canWork) =>
  Array.from({ length: MAX_AGE + 1 }, (_, age) => isMainLabour({ age, canWork }) === true),
);

export class HouseholdTallies {
  private readonly index = new Map<string, number>();
  private ids: string[] = [];
  /** person_ids per household: one string, or a list when there are more (households are small) */
  private persons: (string | string[] | undefined)[] = [];
  private capacity = 0;
  private members = new Int32Array(0);
  private incomeFen = new Float64Array(0);
  private medicalFen = new Float64Array(0);
  private mainLabour = new Int32Array(0);
  private severe = new Int32Array(0);
  private bits = new Uint8Array(0);
  private soleAge = new Int16Array(0);
  private soleIncomeFen = new Float64Array(0);
  private skipped = new Int32Array(0);
  private readonly skippedLines = new Map<number, number[]>();

  private grow(): void {
    const cap = Math.max(1024, this.capacity * 2);
    const g = <T extends Int32Array | Float64Array | Uint8Array | Int16Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.members = g(this.members, (n) => new Int32Array(n));
    this.incomeFen = g(this.incomeFen, (n) => new Float64Array(n));
    this.medicalFen = g(this.medicalFen, (n) => new Float64Array(n));
    this.mainLabour = g(this.mainLabour, (n) => new Int32Array(n));
    this.severe = g(this.severe, (n) => new Int32Array(n));
    this.bits = g(this.bits, (n) => new Uint8Array(n));
    this.soleAge = g(this.soleAge, (n) => new Int16Array(n));
    this.soleIncomeFen = g(this.soleIncomeFen, (n) => new Float64Array(n));
    this.skipped = g(this.skipped, (n) => new Int32Array(n));
    this.capacity = cap;
  }

  private slot(householdId: string): number {
    let i = this.index.get(householdId);
    if (i === undefined) {
      i = this.ids.length;
      if (i >= this.capacity) this.grow();
      this.ids.push(householdId);
      this.persons.push(undefined);
      this.index.set(householdId, i);
    }
    return i;
  }

  /** Adds a valid person; false when the person_id was already seen in this household (the row is skipped). */
  add(p: PersonRecord, line: number): boolean {
    const i = this.slot(p.householdId);
    const seen = this.persons[i];
    if (seen === undefined) this.persons[i] = p.personId;
    else if (typeof seen === "string") {
      if (seen === p.personId) return this.skipDuplicate(i, line);
      this.persons[i] = [seen, p.personId];
    } else {
      if (seen.includes(p.personId)) return this.skipDuplicate(i, line);
      seen.push(p.personId);
    }
    if (this.members[i] === 0) {
      this.soleAge[i] = p.age;
      this.soleIncomeFen[i] = p.incomeFen;
    }
    this.members[i]++;
    this.incomeFen[i] += p.incomeFen;
    this.medicalFen[i] += p.medicalFen;
    if (MAIN_LABOUR[p.age + (p.canWork ? MAX_AGE + 1 : 0)]) this.mainLabour[i]++;
    if (p.disability === "severe") this.severe[i]++;
    if (p.receiving.length > 0) {
      let b = this.bits[i] | ANY_RECEIVING;
      if (p.receiving.includes("dibao")) b |= DIBAO;
      if (p.receiving.includes("tekun")) b |= TEKUN;
      this.bits[i] = b;
    }
    return true;
  }

  private skipDuplicate(i: number, line: number): false {
    this.skipAt(i, line);
    return false;
  }

  private skipAt(i: number, line: number): void {
    this.skipped[i]++;
    const lines = this.skippedLines.get(i);
    if (!lines) this.skippedLines.set(i, [line]);
    else if (lines.length < MAX_LINES_KEPT) lines.push(line);
  }

  /**
   * Leaves the household out of the screening: a member asked not to be
   * screened. It is not flagged, whatever its other rows say.
   */
  exclude(householdId: string): void {
    const i = this.slot(householdId);
    this.bits[i] |= EXCLUDED;
  }

  /** A skipped row that names its household. */
  skip(householdId: string, line: number): void {
    this.skipAt(this.slot(householdId), line);
  }

  private view(i: number): HouseholdTally {
    const b = this.bits[i];
    return {
      householdId: this.ids[i],
      members: this.members[i],
      incomeFen: this.incomeFen[i],
      medicalFen: this.medicalFen[i],
      mainLabour: this.mainLabour[i],
      severeDisability: this.severe[i],
      anyReceiving: (b & ANY_RECEIVING) !== 0,
      receivesDibao: (b & DIBAO) !== 0,
      receivesTekun: (b & TEKUN) !== 0,
      soleAge: this.soleAge[i],
      soleIncomeFen: this.soleIncomeFen[i],
      skippedRows: this.skipped[i],
      skippedLines: this.skippedLines.get(i) ?? [],
    };
  }

  get(householdId: string): HouseholdTally | undefined {
    const i = this.index.get(householdId);
    return i === undefined ? undefined : this.view(i);
  }

  /** Households with at least one valid member and nobody who asked not to be screened. */
  *screenable(): IterableIterator<HouseholdTally> {
    for (let i = 0; i < this.ids.length; i++) if (this.members[i] > 0 && (this.bits[i] & EXCLUDED) === 0) yield this.view(i);
  }

  /** Households left out because a member asked not to be screened. */
  get excludedCount(): number {
    let n = 0;
    for (let i = 0; i < this.ids.length; i++) if (this.bits[i] & EXCLUDED) n++;
    return n;
  }

  get householdCount(): number {
    let n = 0;
    for (let i = 0; i < this.ids.length; i++) if (this.members[i] > 0) n++;
    return n;
  }
}
