/**
 * Reads a departmental person-record file given as decoded text chunks: the
 * header (BOM tolerated, columns in any order), then each record checked into
 * a PersonRecord or reported as a malformed row with its file line number.
 * Pure: the caller does the I/O and decoding (the CLI, a staff upload).
 */
import { readHeader, type ColumnIndex, type Column } from "./columns";
import { CsvRecordParser } from "./csv-records";
import { FastRowReader, newFastRow, type FastRow } from "./fast-row";
import { dateNumber, readPersonRow, type PersonRecord, type RowProblem } from "./row";

export interface RowSink {
  person(p: PersonRecord, line: number): void;
  /**
   * When given, a plainly valid row read by the fast path (fast-row.ts) comes
   * here as its place in `text` and its figures, without a PersonRecord; every
   * other row still goes through person/problem.
   */
  fastPerson?(text: string, row: FastRow, line: number): void;
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

export class PersonRowReader {
  rowsRead = 0;
  malformed = 0;
  private header: { index: ColumnIndex; width: number } | null = null;
  private first = true;
  private readonly parser: CsvRecordParser;

  constructor(sink: RowSink, asOf: string) {
    let fast: FastRowReader | null = null;
    const row = newFastRow();
    const fastPerson = sink.fastPerson ? sink.fastPerson.bind(sink) : null;
    this.parser = new CsvRecordParser({
      line:
        fastPerson === null
          ? undefined
          : (text, start, end, line) => {
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

  /** The file line the next record starts on (so far). */
  get nextLine(): number {
    return this.parser.nextLine;
  }

  /** True when everything pushed so far ended with a complete record (a part of a file may end here). */
  get atRecordBoundary(): boolean {
    return !this.parser.pending;
  }

  /** Counts a row skipped by the sink itself (a repeated person_id). */
  countSkipped(): void {
    this.malformed++;
  }
}
