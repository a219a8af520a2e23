/**
 * Reads a departmental person-record file given as decoded text chunks: the
 * header (BOM tolerated, columns in any order), then each record checked into
 * a PersonRecord or reported as a malformed row with its file line number.
 * Pure: the caller does the I/O and decoding (the CLI, a staff upload).
 */
import { readHeader, type ColumnIndex, type Column } from "./columns";
import { CsvRecordParser } from "./csv-records";
import { FastByteReader, asciiKey } from "./fast-bytes";
import { FastRowReader, newFastRow, type FastRow } from "./fast-row";
import { MAX_KEY_LENGTH, dateNumber, readPersonRow, type PersonRecord, type RowProblem } from "./row";

export interface RowSink {
  person(p: PersonRecord, line: number): void;
  /**
   * When given, a plainly valid row read by the fast path (fast-row.ts) comes
   * here as its place in `text` and its figures, without a PersonRecord; every
   * other row still goes through person/problem.
   */
  fastPerson?(text: string, row: FastRow, line: number): void;
  /** The same for a row read from the file's bytes (pushBytes): its keys are ASCII bytes of `bytes`. */
  fastBytes?(bytes: Uint8Array, row: FastRow, line: number): void;
  /**
   * householdId when the row names one (so its household can say it is
   * incomplete); idNumber when the row's ID number was valid (an opt-out
   * still leaves its household out)
   */
  problem(line: number, problem: RowProblem, householdId: string | null, idNumber?: string): void;
}

/** The file cannot be used at all (exit 2): no header, or a header without the rule book's columns. */
export class UnusableFileError extends Error {
  readonly code: "empty" | "header";
  readonly missing: Column[];
  readonly duplicated: string[];
  constructor(code: "empty" | "header", missing: Column[] = [], duplicated: string[] = []) {
    super(code === "empty" ? "The file has no header row" : `The header row lacks columns: ${missing.join(", ")}${duplicated.length ? `; repeats: ${duplicated.join(", ")}` : ""}`);
    this.code = code;
    this.missing = missing;
    this.duplicated = duplicated;
  }
}

/** FNV-1a over the UTF-16 code units of text[s, e) (the household tallies' hash too). */
export function keyHash(text: string, s = 0, e = text.length): number {
  let hash = 0x811c9dc5;
  for (let k = s; k < e; k++) hash = Math.imul(hash ^ text.charCodeAt(k), 0x01000193);
  return hash;
}

/** keyHash of the bytes b[s, e), each byte one code unit (ASCII keys). */
export function keyHashBytes(b: Uint8Array, s: number, e: number): number {
  let hash = 0x811c9dc5;
  for (let k = s; k < e; k++) hash = Math.imul(hash ^ b[k], 0x01000193);
  return hash;
}

/**
 * Which of `count` parts a household key's hash belongs to. Mixed, then from
 * the high bits: the tallies' hash table indexes by the low bits of the hash,
 * over which a part's keys should still spread.
 */
export function partOfHash(hash: number, count: number): number {
  // murmur3's finalizer first: FNV-1a's high bits follow the last characters of short keys too closely
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 16) * count) >>> 16;
}

/**
 * One part of a parallel screening: the rows whose household key falls in
 * part `index` of `count` (partOfHash), and the rows that name no household
 * (malformed) in part 0 only. Every part reads the whole file, so line
 * numbers are the file's; each household is wholly in one part.
 */
export interface ReaderPart {
  index: number;
  count: number;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;
const utf8 = new TextDecoder();

export class PersonRowReader {
  rowsRead = 0;
  malformed = 0;
  private header: { index: ColumnIndex; width: number } | null = null;
  private first = true;
  private readonly parser: CsvRecordParser;
  private readonly part: ReaderPart | null;
  private readonly sink: RowSink;
  private readonly asOf: string;
  private fastBytes: FastByteReader | null = null;
  private commas = new Int32Array(0);
  private readonly row = newFastRow();

  constructor(sink: RowSink, asOf: string, part: ReaderPart | null = null) {
    this.sink = sink;
    this.asOf = asOf;
    this.part = part !== null && part.count > 1 ? part : null;
    let fast: FastRowReader | null = null;
    const row = this.row;
    const fastPerson = sink.fastPerson ? sink.fastPerson.bind(sink) : null;
    this.parser = new CsvRecordParser({
      line:
        fastPerson === null
          ? undefined
          : (text, start, end, line) => {
              if (this.part !== null && this.header && !this.ownsLine(text, start, end)) return;
              if (fast === null && this.header) fast = new FastRowReader(this.header.index, this.header.width, dateNumber(asOf));
              if (fast !== null && fast.read(text, start, end, row)) {
                this.rowsRead++;
                fastPerson(text, row, line);
              } else this.parser.sink.record(text.slice(start, end).split(","), line);
            },
      record: (fields, line) => {
        const header = this.header;
        if (!header) {
          const h = readHeader(fields);
          if (!h.ok) throw new UnusableFileError("header", h.missing, h.duplicated);
          this.header = h;
          return;
        }
        if (this.part !== null && !this.owns(ownerKey(fields, header.index.household_id))) return;
        this.rowsRead++;
        const r = readPersonRow(fields, header.index, header.width, asOf);
        if (r.ok) sink.person(r.person, line);
        else {
          this.malformed++;
          sink.problem(line, r.problem, r.householdId, r.idNumber);
        }
      },
      malformed: (line, problem) => {
        if (!this.header) throw new UnusableFileError("header", [], []);
        if (this.part !== null && this.part.index !== 0) return;
        this.rowsRead++;
        this.malformed++;
        sink.problem(line, { code: problem === "quote" ? "quote" : "unclosedQuote", values: {} }, null);
      },
    });
  }

  push(text: string): void {
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.parser.push(text);
  }

  end(): void {
    this.parser.end();
    if (!this.header) throw new UnusableFileError("empty");
  }

  /** True when the household key (null: none) is this part's. */
  private owns(key: string | null): boolean {
    const part = this.part!;
    return key === null ? part.index === 0 : partOfHash(keyHash(key), part.count) === part.index;
  }

  /** owns() for an unquoted line text[start, end) (split as the full path splits it). */
  private ownsLine(text: string, start: number, end: number): boolean {
    const col = this.header!.index.household_id;
    let s = start;
    for (let f = 0; f < col; f++) {
      const c = text.indexOf(",", s);
      if (c === -1 || c >= end) return this.owns(null);
      s = c + 1;
    }
    let e = text.indexOf(",", s);
    if (e === -1 || e > end) e = end;
    return this.owns(keyOf(text.slice(s, e)));
  }

  /**
   * Reads the whole lines at the start of `bytes` (UTF-8 the caller has
   * checked, after the header, which came through push()); returns how many
   * bytes they took: the rest (an unfinished line) is to be offered again
   * with more, or with `final` at the end of the input. An unquoted line is
   * read in place (fast-bytes.ts) and only decoded when the full path must
   * decide; a record with a quote is decoded and given to the CSV parser
   * (a quoted field may hold line breaks).
   */
  pushBytes(b: Uint8Array, final: boolean): number {
    const header = this.header;
    if (header === null || this.parser.pending) throw new Error("pushBytes needs the header read and nothing held back");
    const width = header.width;
    if (this.fastBytes === null) {
      this.fastBytes = new FastByteReader(header.index, width, dateNumber(this.asOf));
      this.commas = new Int32Array(width);
    }
    const fast = this.fastBytes;
    const commas = this.commas;
    const row = this.row;
    const sink = this.sink;
    const part = this.part;
    const hidCol = header.index.household_id;
    const len = b.length;
    let line = this.parser.nextLine;
    let pos = 0;
    while (pos < len) {
      // one line: its commas (the first `width`), whether it has a quote, where it ends
      let n = 0;
      let quote = false;
      let k = pos;
      for (; k < len; k++) {
        const c = b[k];
        if (c > COMMA) continue;
        if (c === LF) break;
        if (c === COMMA) {
          if (n < width) commas[n] = k;
          n++;
        } else if (c === QUOTE) quote = true;
      }
      if (k === len && !final) break;
      if (quote) {
        const next = this.quoted(b, pos, k, line, final);
        line = this.parser.nextLine;
        if (next === pos) break; // the record goes on past these bytes
        pos = next;
        continue;
      }
      let end = k;
      if (end > pos && b[end - 1] === CR) end--;
      if (end > pos) {
        let mine = true;
        let sure = false;
        if (part !== null) {
          const s = hidCol === 0 ? pos : hidCol - 1 < n ? commas[hidCol - 1] + 1 : -1;
          const e = hidCol < n ? commas[hidCol] : end;
          if (s >= 0 && asciiKey(b, s, e)) {
            mine = partOfHash(keyHashBytes(b, s, e), part.count) === part.index;
            sure = true;
          }
        }
        if (mine) {
          if (n === width - 1 && fast.read(b, pos, end, commas, row)) {
            if (part !== null && !sure) throw new Error("a fast row without an ASCII household key");
            this.rowsRead++;
            sink.fastBytes!(b, row, line);
          } else this.parser.sink.record(utf8.decode(b.subarray(pos, end)).split(","), line);
        }
      }
      line++;
      pos = k + 1;
    }
    this.parser.nextLine = line;
    return pos > len ? len : pos;
  }

  /**
   * The records from the quoted line b[pos, k) on, through the CSV parser:
   * decoded from `pos` to the end of that line, and further (doubling) while
   * the record goes on. Returns where the next unread line starts; `pos`
   * when the bytes end inside the record (not final).
   */
  private quoted(b: Uint8Array, pos: number, k: number, line: number, final: boolean): number {
    const len = b.length;
    let end = k < len ? k + 1 : len;
    for (;;) {
      const atEnd = end >= len;
      const text = utf8.decode(b.subarray(pos, end));
      const used = this.parser.parseAt(text, line, final && atEnd);
      if (used === text.length) return end;
      if (used > 0) {
        // whole records, then one not finished: go on from there
        pos += new TextEncoder().encode(text.slice(0, used)).length;
        line = this.parser.nextLine;
      }
      if (atEnd) return pos;
      let to = pos + 2 * (end - pos);
      if (to >= len) to = len;
      else {
        while (to < len && b[to] !== LF) to++;
        if (to < len) to++;
      }
      end = to;
    }
  }

  /** The file line the next record starts on (so far). */
  get nextLine(): number {
    return this.parser.nextLine;
  }

  /** Counts a row skipped by the sink itself (a repeated person_id). */
  countSkipped(): void {
    this.malformed++;
  }
}

/** A field as readPersonRow takes the household key: trimmed; null when empty or too long (the row then names no household). */
function keyOf(raw: string): string | null {
  const key = raw.trim();
  return key === "" || key.length > MAX_KEY_LENGTH ? null : key;
}

function ownerKey(fields: readonly string[], col: number): string | null {
  const v = fields[col];
  return v === undefined ? null : keyOf(v);
}
