// The RFC 4180 record parser against csv-parse (the reference), for any split
// of the input into chunks; and line numbers for records spanning lines.
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvRecordParser, RecordTooLongError } from "~/domain/outreach";

interface Out {
  records: { fields: string[]; line: number }[];
  malformed: { line: number; problem: string }[];
}

function run(chunks: string[], maxRecordChars?: number): Out {
  const out: Out = { records: [], malformed: [] };
  const p = new CsvRecordParser(
    { record: (fields, line) => out.records.push({ fields, line }), malformed: (line, problem) => out.malformed.push({ line, problem }) },
    { maxRecordChars },
  );
  for (const c of chunks) p.push(c);
  p.end();
  return out;
}

/** Cuts text at the given positions. */
function split(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let from = 0;
  for (const p of points) {
    parts.push(text.slice(from, p));
    from = p;
  }
  parts.push(text.slice(from));
  return parts;
}

const fieldArb = fc.oneof(
  fc.string({ unit: fc.constantFrom("a", "b", "王", " ", "1") }),
  fc.string({ unit: fc.constantFrom("a", ",", '"', "\n", "\r\n", "王", " ") }),
);
const recordArb = fc.array(fieldArb, { minLength: 1, maxLength: 5 });

function encodeField(f: string): string {
  return /[",\r\n]/.test(f) || f === "" ? `"${f.replace(/"/g, '""')}"` : f;
}

describe("CsvRecordParser", () => {
  it("gives the same records as csv-parse for any chunking", () => {
    fc.assert(
      fc.property(fc.array(recordArb, { minLength: 1, maxLength: 6 }), fc.constantFrom("\n", "\r\n"), fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }), (records, eol, trailing, cuts) => {
        const text = records.map((r) => r.map(encodeField).join(",")).join(eol) + (trailing ? eol : "");
        const expected = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
        const got = run(split(text, cuts));
        expect(got.malformed).toEqual([]);
        expect(got.records.map((r) => r.fields)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  }, 60_000); // 500 runs take seconds on the shared 2-core machine

  it("numbers each record by the line it starts on, counting line breaks inside quotes", () => {
    const text = 'h\na,"x\ny"\r\nb,c\n\nd,"e""f"\n"g\n\nh",i\nj';
    const got = run(split(text, [3, 7, 11]));
    expect(got.records).toEqual([
      { fields: ["h"], line: 1 },
      { fields: ["a", "x\ny"], line: 2 },
      { fields: ["b", "c"], line: 4 },
      { fields: ["d", 'e"f'], line: 6 },
      { fields: ["g\n\nh", "i"], line: 7 },
      { fields: ["j"], line: 10 },
    ]);
  });

  it("reports a stray quote or text after a closing quote as a malformed line, and goes on", () => {
    const got = run(['a,b"c,d\n"x"y,z\nok,1\n']);
    expect(got.malformed).toEqual([
      { line: 1, problem: "quote" },
      { line: 2, problem: "quote" },
    ]);
    expect(got.records).toEqual([{ fields: ["ok", "1"], line: 3 }]);
  });

  it("reports an unclosed quote at the end, and refuses a record that never ends", () => {
    expect(run(['a,"open\nmore']).malformed).toEqual([{ line: 1, problem: "unclosed_quote" }]);
    expect(() => run(['a,"open\n', "x".repeat(200), "y".repeat(200)], 100)).toThrow(RecordTooLongError);
  });
});
