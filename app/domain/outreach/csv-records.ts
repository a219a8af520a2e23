/**
 * A small streaming RFC 4180 record parser for the outreach screening: text
 * goes in by chunks (any split, even inside a quoted field or a CRLF), records
 * come out as string arrays with the file line number they start on.
 *
 * Why not csv-parse (installed, v6.1): measured on this 2-core machine on the
 * benchmark's 1,000,000-row departmental file (14 columns, 92 MiB), in one
 * run: plain streaming read-and-split 8.7 s, csv-parse records only 29.0 s
 * (3.3×, before any validation), this parser 12.5 s (1.4×). The screening's
 * budget is 3× the plain read for everything, so csv-parse alone would spend
 * it. Almost every departmental line has no quote at all: such lines are split
 * with String.split, and only lines containing a quote are walked character
 * by character. Property-tested against csv-parse for any chunking
 * (tests/unit/outreach/csv-records.test.ts).
 *
 * Accepted: fields separated by commas, records by LF or CRLF, fields in double
 * quotes holding commas, line breaks and doubled quotes (""). A quote inside
 * an unquoted field, or text after a closing quote, makes that record
 * malformed (reported, not guessed at). A record may not grow past
 * `maxRecordChars` (an unclosed quote would otherwise swallow the whole file).
 */

export interface CsvRecordSink {
  /** One record; `line` is the 1-based file line it starts on. */
  record(fields: string[], line: number): void;
  /**
   * When given, a record on one line without any quote comes here instead, as
   * text[start, end) (line break removed), not split: the sink reads the
   * fields in place (see fast-row.ts) and splits only when it must.
   */
  line?(text: string, start: number, end: number, line: number): void;
  /** A record that is not valid CSV; parsing goes on with the next line. */
  malformed(line: number, problem: "quote" | "unclosed_quote"): void;
}

export class RecordTooLongError extends Error {
  readonly line: number;
  constructor(line: number, max: number) {
    super(`The record starting on line ${line} is longer than ${max} characters`);
    this.line = line;
  }
}

const QUOTE = 34; // "
const COMMA = 44;
const LF = 10;
const CR = 13;

export class CsvRecordParser {
  private rest = "";
  /** line number of the first line in `rest` */
  private line = 1;
  readonly sink: CsvRecordSink;
  private readonly maxRecordChars: number;

  constructor(sink: CsvRecordSink, options: { maxRecordChars?: number } = {}) {
    this.sink = sink;
    this.maxRecordChars = options.maxRecordChars ?? 1 << 20;
  }

  push(chunk: string): void {
    const text = this.rest.length ? this.rest + chunk : chunk;
    const consumed = this.parse(text, false);
    this.rest = consumed < text.length ? text.slice(consumed) : "";
    if (this.rest.length > this.maxRecordChars) throw new RecordTooLongError(this.line, this.maxRecordChars);
  }

  /** The line number the next record starts on. */
  get nextLine(): number {
    return this.line;
  }

  /** Sets the line the next record starts on (the byte reader counted the lines it read itself). */
  set nextLine(line: number) {
    this.line = line;
  }

  /**
   * Parses the whole records at the start of `text`, the first starting on
   * file line `line`, and returns how many characters they took (the rest is
   * not kept: the caller offers it again with more). For a reader of bytes
   * (PersonRowReader.pushBytes) that hands over only the lines it does not
   * read itself, such as a quoted field; nothing may be held back from push().
   */
  parseAt(text: string, line: number, final: boolean): number {
    if (this.rest.length) throw new Error("parseAt with text held back by push()");
    this.line = line;
    return this.parse(text, final);
  }

  /** True when text is held back for a record not complete yet (false right after a record's line break). */
  get pending(): boolean {
    return this.rest.length > 0;
  }

  /** End of input: a last line without a line break is still a record. */
  end(): void {
    if (this.rest.length) {
      const text = this.rest;
      this.rest = "";
      this.parse(text, true);
    }
  }

  /** Parses whole records from text; returns how many characters were consumed. */
  private parse(text: string, final: boolean): number {
    let pos = 0;
    const len = text.length;
    const sink = this.sink;
    const plainLine = sink.line ? sink.line.bind(sink) : null;
    while (pos < len) {
      const nl = text.indexOf("\n", pos);
      if (nl === -1 && !final) return pos;
      const lineEnd = nl === -1 ? len : nl;
      const q = text.indexOf('"', pos);
      if (q === -1 || q > lineEnd) {
        // fast path: no quote on this line
        let end = lineEnd;
        if (end > pos && text.charCodeAt(end - 1) === CR) end--;
        if (end > pos) {
          if (plainLine !== null) plainLine(text, pos, end, this.line);
          else sink.record(text.slice(pos, end).split(","), this.line);
        }
        this.line++;
        pos = lineEnd + 1;
        continue;
      }
      const next = this.parseQuoted(text, pos, final);
      if (next === -1) return pos; // need more text
      pos = next;
    }
    return pos;
  }

  /**
   * Character walk over one record containing quotes, from `start`. Returns the
   * index after the record's line break, or -1 when the record is not complete
   * in `text` yet (and more may come).
   */
  private parseQuoted(text: string, start: number, final: boolean): number {
    const fields: string[] = [];
    const len = text.length;
    const startLine = this.line;
    let lines = 0;
    let i = start;
    let field = "";
    let bad = false;
    for (;;) {
      // start of a field
      if (i < len && text.charCodeAt(i) === QUOTE) {
        i++;
        let from = i;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q === -1) {
            if (!final) return -1;
            // unclosed quote up to the end of input
            this.line = startLine + countLines(text, start, len) + 1;
            this.sink.malformed(startLine, "unclosed_quote");
            return len;
          }
          if (q + 1 < len && text.charCodeAt(q + 1) === QUOTE) {
            field += text.slice(from, q + 1);
            lines += countLines(text, from, q);
            i = q + 2;
            from = i;
            continue;
          }
          if (q + 1 >= len && !final) return -1; // could be the first of ""
          field += text.slice(from, q);
          lines += countLines(text, from, q);
          i = q + 1;
          break;
        }
        // after a closing quote: a separator, a line end or the end
        if (i < len) {
          const c = text.charCodeAt(i);
          if (c !== COMMA && c !== LF && !(c === CR && (i + 1 >= len ? final : text.charCodeAt(i + 1) === LF))) {
            if (c === CR && i + 1 >= len) return -1;
            bad = true;
          }
        }
      } else {
        // unquoted field: up to the next comma or line break
        let j = i;
        while (j < len) {
          const c = text.charCodeAt(j);
          if (c === COMMA || c === LF) break;
          if (c === QUOTE) bad = true;
          j++;
        }
        if (j >= len && !final) return -1;
        let end = j;
        if (j < len && text.charCodeAt(j) === LF && end > i && text.charCodeAt(end - 1) === CR) end--;
        else if (j >= len && end > i && text.charCodeAt(end - 1) === CR) end--;
        field = text.slice(i, end);
        i = j;
      }
      if (bad) {
        // skip to the end of this physical line and report it
        const nl = text.indexOf("\n", i);
        if (nl === -1 && !final) return -1;
        this.line = startLine + lines + 1;
        this.sink.malformed(startLine, "quote");
        return nl === -1 ? len : nl + 1;
      }
      fields.push(field);
      field = "";
      if (i >= len) {
        // end of input (final): the record ends here
        this.line = startLine + lines + 1;
        this.sink.record(fields, startLine);
        return len;
      }
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        if (i >= len && !final) return -1;
        if (i >= len) {
          fields.push("");
          this.line = startLine + lines + 1;
          this.sink.record(fields, startLine);
          return len;
        }
        continue;
      }
      if (c === CR) i++;
      // LF
      this.line = startLine + lines + 1;
      this.sink.record(fields, startLine);
      return i + 1;
    }
  }
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let k = text.indexOf("\n", from); k !== -1 && k < to; k = text.indexOf("\n", k + 1)) n++;
  return n;
}
