/**
 * Per-household running totals of the screening. Rows arrive in any order, so
 * each household keeps only the few figures the flags need (members, income
 * and out-of-pocket sums in fen, main-labour and severe-disability counts,
 * what is received, the sole member's age and income), and each person only
 * their key and figures, in typed arrays. The household and person keys are
 * kept as UTF-16 code units in one growing Uint16Array ("arena") and found
 * through an open-addressing hash table over those code units: a million
 * person rows make no million strings or objects for the garbage collector to
 * walk and no Map lookups of freshly cut strings, which measured as the
 * largest costs of the screening. Rows read from the file's bytes (the
 * parallel screening, see reader.ts pushBytes) are added with their ASCII
 * keys read in place from the bytes: the same keys and hashes as from text.
 *
 * A household with a malformed row (or a repeated person_id) is still
 * screened on its good rows, and its result says how many rows were skipped
 * and on which lines. Why: a flag only leads a caseworker to check with the
 * family, so screening on what is known and saying it is incomplete costs at
 * most a call, while dropping the household would hide a family that may be
 * in need because one department mistyped one field.
 */
import { isMainLabour } from "~/domain/eligibility";
import { RECEIVING_ANY, RECEIVING_DIBAO, RECEIVING_TEKUN, type FastRow } from "./fast-row";
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
// the same bits as the fast path's receiving figure
const ANY_RECEIVING = RECEIVING_ANY;
const DIBAO = RECEIVING_DIBAO;
const TEKUN = RECEIVING_TEKUN;
/** a member asked not to be screened (ScreeningOptOut) */
const EXCLUDED = 8;
/** person figure bits (beside the receiving bits) */
const P_CAN_WORK = 16;
const P_SEVERE = 32;
/** above this many members a household's person keys also go into a Set (the list walk would be quadratic) */
const LIST_LIMIT = 32;

/**
 * isMainLabour (the eligibility engine's rule) for every age the rows allow,
 * asked once: calling it per row built its three-valued conditions a million
 * times. Index: age + (canWork ? MAX_AGE + 1 : 0).
 */
const MAIN_LABOUR: readonly boolean[] = [false, true].flatMap((canWork) =>
  Array.from({ length: MAX_AGE + 1 }, (_, age) => isMainLabour({ age, canWork }) === true),
);

const NO_LINES: number[] = Object.freeze([]) as unknown as number[];

/** The string of chars[at, at + len). */
function charsText(chars: Uint16Array | Uint8Array, at: number, len: number): string {
  if (len <= 4096) return String.fromCharCode.apply(null, chars.subarray(at, at + len) as unknown as number[]);
  let s = "";
  for (let k = 0; k < len; k += 4096) s += String.fromCharCode(...chars.subarray(at + k, at + Math.min(len, k + 4096)));
  return s;
}

type Typed = Int32Array | Float64Array | Uint8Array | Int16Array | Uint16Array;
function grown<T extends Typed>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a.length > size ? a.subarray(0, size) : a);
  return b;
}

export class HouseholdTallies {
  private households = 0;
  private capacity = 0;
  private table: Int32Array = new Int32Array(1 << 12).fill(-1);
  private tableMask = (1 << 12) - 1;
  private chars: Uint16Array = new Uint16Array(1 << 16);
  private charsUsed = 0;
  private hidStart: Int32Array = new Int32Array(0);
  private hidLen: Int32Array = new Int32Array(0);
  private hidHash: Int32Array = new Int32Array(0);
  private members: Int32Array = new Int32Array(0);
  private incomeFen: Float64Array = new Float64Array(0);
  private medicalFen: Float64Array = new Float64Array(0);
  private mainLabour: Int32Array = new Int32Array(0);
  private severe: Int32Array = new Int32Array(0);
  private bits: Uint8Array = new Uint8Array(0);
  private soleAge: Int16Array = new Int16Array(0);
  private soleIncomeFen: Float64Array = new Float64Array(0);
  private skipped: Int32Array = new Int32Array(0);
  private firstPerson: Int32Array = new Int32Array(0);
  private lastPerson: Int32Array = new Int32Array(0);
  private skippedLines = new Map<number, number[]>();
  private ids: (string | undefined)[] = [];
  private bigHouseholds = new Map<number, Set<string>>();
  // persons
  private persons = 0;
  private personCapacity = 0;
  private pStart: Int32Array = new Int32Array(0);
  private pLen: Int32Array = new Int32Array(0);
  private pNext: Int32Array = new Int32Array(0);
  private pAge: Int16Array = new Int16Array(0);
  private pBits: Uint8Array = new Uint8Array(0);
  private pIncomeFen: Float64Array = new Float64Array(0);
  private pMedicalFen: Float64Array = new Float64Array(0);
  private pLine: Int32Array = new Int32Array(0);

  /**
   * `expectedPersons`: room made at once (a part of a known size): growing
   * the arrays by doubling measured as a visible share of a part's time.
   */
  constructor(expectedPersons = 0) {
    if (expectedPersons > 0) {
      this.grow(Math.ceil(expectedPersons / 2));
      this.growPersons(expectedPersons);
      this.chars = new Uint16Array(expectedPersons * 16);
      let size = 1 << 12;
      while (size < expectedPersons) size *= 2;
      this.table = new Int32Array(size).fill(-1);
      this.tableMask = size - 1;
    }
  }

  private grow(atLeast = 0): void {
    const cap = Math.max(1024, this.capacity * 2, atLeast);
    this.hidStart = grown(this.hidStart, cap);
    this.hidLen = grown(this.hidLen, cap);
    this.hidHash = grown(this.hidHash, cap);
    this.members = grown(this.members, cap);
    this.incomeFen = grown(this.incomeFen, cap);
    this.medicalFen = grown(this.medicalFen, cap);
    this.mainLabour = grown(this.mainLabour, cap);
    this.severe = grown(this.severe, cap);
    this.bits = grown(this.bits, cap);
    this.soleAge = grown(this.soleAge, cap);
    this.soleIncomeFen = grown(this.soleIncomeFen, cap);
    this.skipped = grown(this.skipped, cap);
    this.firstPerson = grown(this.firstPerson, cap);
    this.lastPerson = grown(this.lastPerson, cap);
    this.capacity = cap;
  }

  private growPersons(atLeast = 0): void {
    const cap = Math.max(2048, this.personCapacity * 2, atLeast);
    this.pStart = grown(this.pStart, cap);
    this.pLen = grown(this.pLen, cap);
    this.pNext = grown(this.pNext, cap);
    this.pAge = grown(this.pAge, cap);
    this.pBits = grown(this.pBits, cap);
    this.pIncomeFen = grown(this.pIncomeFen, cap);
    this.pMedicalFen = grown(this.pMedicalFen, cap);
    this.pLine = grown(this.pLine, cap);
    this.personCapacity = cap;
  }

  /** Copies text[s, e) into the arena; returns where it starts. */
  private store(text: string, s: number, e: number): number {
    const n = e - s;
    if (this.charsUsed + n > this.chars.length) this.chars = grown(this.chars, Math.max(this.chars.length * 2, this.charsUsed + n));
    const chars = this.chars;
    const at = this.charsUsed;
    for (let k = 0; k < n; k++) chars[at + k] = text.charCodeAt(s + k);
    this.charsUsed = at + n;
    return at;
  }

  private sameChars(at: number, len: number, text: string, s: number, e: number): boolean {
    if (len !== e - s) return false;
    const chars = this.chars;
    for (let k = 0; k < len; k++) if (chars[at + k] !== text.charCodeAt(s + k)) return false;
    return true;
  }

  private rehash(): void {
    const size = this.table.length * 2;
    const table = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let i = 0; i < this.households; i++) {
      let h = this.hidHash[i] & mask;
      while (table[h] !== -1) h = (h + 1) & mask;
      table[h] = i;
    }
    this.table = table;
    this.tableMask = mask;
  }

  private sameBytes(at: number, len: number, src: Uint8Array, s: number, e: number): boolean {
    if (len !== e - s) return false;
    const chars = this.chars;
    for (let k = 0; k < len; k++) if (chars[at + k] !== src[s + k]) return false;
    return true;
  }

  /** Copies the bytes src[s, e) (ASCII) into the arena; returns where it starts. */
  private storeBytes(src: Uint8Array, s: number, e: number): number {
    const n = e - s;
    if (this.charsUsed + n > this.chars.length) this.chars = grown(this.chars, Math.max(this.chars.length * 2, this.charsUsed + n));
    const at = this.charsUsed;
    this.chars.set(src.subarray(s, e), at);
    this.charsUsed = at + n;
    return at;
  }

  /** slotRange for an ASCII key in bytes. */
  private slotBytes(src: Uint8Array, s: number, e: number): number {
    let hash = 0x811c9dc5;
    for (let k = s; k < e; k++) hash = Math.imul(hash ^ src[k], 0x01000193);
    const table = this.table;
    const mask = this.tableMask;
    let h = hash & mask;
    for (;;) {
      const i = table[h];
      if (i === -1) break;
      if (this.hidHash[i] === hash && this.sameBytes(this.hidStart[i], this.hidLen[i], src, s, e)) return i;
      h = (h + 1) & mask;
    }
    const i = this.households;
    if (i >= this.capacity) this.grow();
    this.hidStart[i] = this.storeBytes(src, s, e);
    this.hidLen[i] = e - s;
    this.hidHash[i] = hash;
    this.firstPerson[i] = -1;
    this.lastPerson[i] = -1;
    this.households = i + 1;
    table[h] = i;
    if (this.households * 2 > table.length) this.rehash();
    return i;
  }

  /** The household number of text[s, e), added when new. */
  private slotRange(text: string, s: number, e: number): number {
    // FNV-1a over the UTF-16 code units
    let hash = 0x811c9dc5;
    for (let k = s; k < e; k++) hash = Math.imul(hash ^ text.charCodeAt(k), 0x01000193);
    const table = this.table;
    const mask = this.tableMask;
    let h = hash & mask;
    for (;;) {
      const i = table[h];
      if (i === -1) break;
      if (this.hidHash[i] === hash && this.sameChars(this.hidStart[i], this.hidLen[i], text, s, e)) return i;
      h = (h + 1) & mask;
    }
    const i = this.households;
    if (i >= this.capacity) this.grow();
    this.hidStart[i] = this.store(text, s, e);
    this.hidLen[i] = e - s;
    this.hidHash[i] = hash;
    this.firstPerson[i] = -1;
    this.lastPerson[i] = -1;
    this.households = i + 1;
    table[h] = i;
    if (this.households * 2 > table.length) this.rehash();
    return i;
  }

  private slot(householdId: string): number {
    return this.slotRange(householdId, 0, householdId.length);
  }

  /** Adds a valid person; false when the person_id was already seen in this household (the row is skipped). */
  add(p: PersonRecord, line: number): boolean {
    const i = this.slot(p.householdId);
    let r = 0;
    if (p.receiving.length > 0) {
      r = ANY_RECEIVING;
      if (p.receiving.includes("dibao")) r |= DIBAO;
      if (p.receiving.includes("tekun")) r |= TEKUN;
    }
    const bits = r | (p.canWork ? P_CAN_WORK : 0) | (p.disability === "severe" ? P_SEVERE : 0);
    if (this.addPerson(i, p.personId, 0, p.personId.length, p.age, bits, p.incomeFen, p.medicalFen, line)) return true;
    this.skipAt(i, line);
    return false;
  }

  /** add() for a row read by the fast path: the keys are read in place and copied only when new. */
  addFast(text: string, row: FastRow, line: number): boolean {
    const i = this.slotRange(text, row.hidStart, row.hidEnd);
    const bits = row.receiving | (row.canWork ? P_CAN_WORK : 0) | (row.severe ? P_SEVERE : 0);
    if (this.addPerson(i, text, row.pidStart, row.pidEnd, row.age, bits, row.incomeFen, row.medicalFen, line)) return true;
    this.skipAt(i, line);
    return false;
  }

  /** addFast() for a row read from the file's bytes (its keys are ASCII). */
  addFastBytes(b: Uint8Array, row: FastRow, line: number): boolean {
    const i = this.slotBytes(b, row.hidStart, row.hidEnd);
    const bits = row.receiving | (row.canWork ? P_CAN_WORK : 0) | (row.severe ? P_SEVERE : 0);
    if (this.addPersonBytes(i, b, row.pidStart, row.pidEnd, row.age, bits, row.incomeFen, row.medicalFen, line)) return true;
    this.skipAt(i, line);
    return false;
  }

  private hasPerson(i: number, text: string, s: number, e: number): boolean {
    const big = this.bigHouseholds.get(i);
    if (big !== undefined) return big.has(text.slice(s, e));
    for (let p = this.firstPerson[i]; p !== -1; p = this.pNext[p]) if (this.sameChars(this.pStart[p], this.pLen[p], text, s, e)) return true;
    return false;
  }

  /** Adds the person to household i; false (nothing recorded) when its key is already there. */
  private addPerson(i: number, text: string, s: number, e: number, age: number, bits: number, incomeFen: number, medicalFen: number, line: number): boolean {
    if (this.hasPerson(i, text, s, e)) return false;
    this.appendPerson(i, this.store(text, s, e), e - s, age, bits, incomeFen, medicalFen, line);
    if (this.members[i] > LIST_LIMIT) this.bigHouseholds.get(i)!.add(text.slice(s, e));
    return true;
  }

  /** addPerson for an ASCII key in bytes. */
  private addPersonBytes(i: number, src: Uint8Array, s: number, e: number, age: number, bits: number, incomeFen: number, medicalFen: number, line: number): boolean {
    const big = this.bigHouseholds.get(i);
    if (big !== undefined) {
      const key = charsText(src, s, e - s);
      if (big.has(key)) return false;
      this.appendPerson(i, this.storeBytes(src, s, e), e - s, age, bits, incomeFen, medicalFen, line);
      if (this.members[i] > LIST_LIMIT) big.add(key);
      return true;
    }
    for (let p = this.firstPerson[i]; p !== -1; p = this.pNext[p]) if (this.sameBytes(this.pStart[p], this.pLen[p], src, s, e)) return false;
    this.appendPerson(i, this.storeBytes(src, s, e), e - s, age, bits, incomeFen, medicalFen, line);
    return true;
  }

  private appendPerson(i: number, at: number, len: number, age: number, bits: number, incomeFen: number, medicalFen: number, line: number): void {
    const p = this.persons;
    if (p >= this.personCapacity) this.growPersons();
    this.pStart[p] = at;
    this.pLen[p] = len;
    this.pNext[p] = -1;
    this.pAge[p] = age;
    this.pBits[p] = bits;
    this.pIncomeFen[p] = incomeFen;
    this.pMedicalFen[p] = medicalFen;
    this.pLine[p] = line;
    this.persons = p + 1;
    if (this.lastPerson[i] === -1) this.firstPerson[i] = p;
    else this.pNext[this.lastPerson[i]] = p;
    this.lastPerson[i] = p;

    if (this.members[i] === 0) {
      this.soleAge[i] = age;
      this.soleIncomeFen[i] = incomeFen;
    }
    const n = ++this.members[i];
    this.incomeFen[i] += incomeFen;
    this.medicalFen[i] += medicalFen;
    if (MAIN_LABOUR[age + (bits & P_CAN_WORK ? MAX_AGE + 1 : 0)]) this.mainLabour[i]++;
    if (bits & P_SEVERE) this.severe[i]++;
    const r = bits & (ANY_RECEIVING | DIBAO | TEKUN);
    if (r !== 0) this.bits[i] |= r;
    if (n === LIST_LIMIT) {
      // from here on the keys are also in a Set (this one's included)
      const set = new Set<string>();
      for (let q = this.firstPerson[i]; q !== -1; q = this.pNext[q]) set.add(this.text(this.pStart[q], this.pLen[q]));
      this.bigHouseholds.set(i, set);
    }
  }

  private text(at: number, len: number): string {
    return charsText(this.chars, at, len);
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
    const i = this.slot(householdId); // first: it may grow (replace) the arrays
    this.bits[i] |= EXCLUDED;
  }

  /** exclude() for a household key in text[s, e). */
  excludeRange(text: string, s: number, e: number): void {
    const i = this.slotRange(text, s, e);
    this.bits[i] |= EXCLUDED;
  }

  /** exclude() for an ASCII household key in bytes. */
  excludeBytes(b: Uint8Array, s: number, e: number): void {
    const i = this.slotBytes(b, s, e);
    this.bits[i] |= EXCLUDED;
  }

  /** A skipped row that names its household. */
  skip(householdId: string, line: number): void {
    this.skipAt(this.slot(householdId), line);
  }

  private householdId(i: number): string {
    let id = this.ids[i];
    if (id === undefined) {
      id = this.text(this.hidStart[i], this.hidLen[i]);
      this.ids[i] = id;
    }
    return id;
  }

  private view(i: number): HouseholdTally {
    const b = this.bits[i];
    return {
      householdId: this.householdId(i),
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

  private find(householdId: string): number {
    const s = householdId;
    let hash = 0x811c9dc5;
    for (let k = 0; k < s.length; k++) hash = Math.imul(hash ^ s.charCodeAt(k), 0x01000193);
    for (let h = hash & this.tableMask; ; h = (h + 1) & this.tableMask) {
      const i = this.table[h];
      if (i === -1) return -1;
      if (this.hidHash[i] === hash && this.sameChars(this.hidStart[i], this.hidLen[i], s, 0, s.length)) return i;
    }
  }

  get(householdId: string): HouseholdTally | undefined {
    const i = this.find(householdId);
    return i === -1 ? undefined : this.view(i);
  }

  /** Households with at least one valid member and nobody who asked not to be screened. */
  *screenable(): IterableIterator<HouseholdTally> {
    for (let i = 0; i < this.households; i++) if (this.members[i] > 0 && (this.bits[i] & EXCLUDED) === 0) yield this.view(i);
  }

  /**
   * screen(view) for every household screenable() gives, keeping the results
   * that are not null. The view is one object refilled for each household and
   * its householdId is "" during the call: the key is made into a string only
   * for a result (set on it afterwards). Why: 400,000 views and key strings
   * for households mostly not flagged measured as much of the time after
   * reading, in the garbage collector.
   */
  screenEach<R extends { householdId: string }>(screen: (t: HouseholdTally) => R | null): R[] {
    const out: R[] = [];
    const v: HouseholdTally = { householdId: "", members: 0, incomeFen: 0, medicalFen: 0, mainLabour: 0, severeDisability: 0, anyReceiving: false, receivesDibao: false, receivesTekun: false, soleAge: 0, soleIncomeFen: 0, skippedRows: 0, skippedLines: NO_LINES };
    for (let i = 0; i < this.households; i++) {
      if (this.members[i] === 0 || (this.bits[i] & EXCLUDED) !== 0) continue;
      const b = this.bits[i];
      v.members = this.members[i];
      v.incomeFen = this.incomeFen[i];
      v.medicalFen = this.medicalFen[i];
      v.mainLabour = this.mainLabour[i];
      v.severeDisability = this.severe[i];
      v.anyReceiving = (b & ANY_RECEIVING) !== 0;
      v.receivesDibao = (b & DIBAO) !== 0;
      v.receivesTekun = (b & TEKUN) !== 0;
      v.soleAge = this.soleAge[i];
      v.soleIncomeFen = this.soleIncomeFen[i];
      v.skippedRows = this.skipped[i];
      v.skippedLines = v.skippedRows > 0 ? (this.skippedLines.get(i) ?? NO_LINES) : NO_LINES;
      const r = screen(v);
      if (r !== null) {
        r.householdId = this.householdId(i);
        out.push(r);
      }
    }
    return out;
  }

  get householdCount(): number {
    let n = 0;
    for (let i = 0; i < this.households; i++) if (this.members[i] > 0) n++;
    return n;
  }

  /** Households left out because a member asked not to be screened. */
  get excludedCount(): number {
    let n = 0;
    for (let i = 0; i < this.households; i++) if (this.bits[i] & EXCLUDED) n++;
    return n;
  }
}
