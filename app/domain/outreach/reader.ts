/**
 * Reads a departmental person-record file given as decoded text chunks: the
 * header (BOM tolerated, columns in any order), then each record checked into
 * a PersonRecord or reported as a malformed row with its file line number.
 * Pure: the caller does the I/O and decoding (the CLI, a staff upload).
 */
import { readHeader, type ColumnIndex, type Column } from "./columns";
import { CsvRecordParser } from "./csv-records";
import { readPersonRow, type PersonRecord, type RowProblem } from "./row";

export interface RowSink {
  person(p: PersonRecord, line: number): void;
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
    this.parser = new CsvRecordParser({
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

  /** Counts a row skipped by the sink itself (a repeated person_id). */
  countSkipped(): void {
    this.malformed++;
  }
}
