// The parallel screening's merge (OutreachScreening.fromParts) against one
// screening of the whole file: for generated files with malformed rows,
// repeated person_ids (also across parts), quoted fields with line breaks,
// spaces and upper-case codes (the full path), opt-outs, and any cut at line
// breaks, the ranked results, the summary and every reported problem with its
// line number are the same; a cut inside a quoted field is refused (null).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COLUMNS, CsvRecordParser, OutreachScreening, type RowProblem, type ScreeningPart } from "~/domain/outreach";
import { idCheckCharacter } from "~/domain/identity";

const AS_OF = "2026-06-01";

function idNumber(n: number): string {
  const first17 = `1101011950${String(1 + (n % 12)).padStart(2, "0")}${String(1 + (n % 28)).padStart(2, "0")}${String(n % 1000).padStart(3, "0")}`;
  return first17 + idCheckCharacter(first17);
}

// one row: [household, person, kind]
const rowArb = fc.record({
  h: fc.integer({ min: 0, max: 6 }),
  p: fc.integer({ min: 0, max: 4 }),
  age: fc.constantFrom("5", "40", "70", "abc", " 65 "),
  disability: fc.constantFrom("none", "severe", "SEVERE", "bad"),
  canWork: fc.constantFrom("true", "false", "TRUE", "maybe"),
  income: fc.constantFrom("0", "300", "999.99", "5000", "-5", "1.234"),
  oop: fc.constantFrom("0", "60000", "12000.5"),
  receiving: fc.constantFrom("", "dibao", "medical;tekun", "Dibao", "nope", ";"),
  name: fc.constantFrom("王伟", '"李, ""芳"""', '"张\n三"', "x"),
  shape: fc.constantFrom("ok", "ok", "ok", "short", "noHousehold", "quote"),
  id: fc.integer({ min: 0, max: 30 }),
});
type Row = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;

function line(r: Row): string {
  const hid = r.shape === "noHousehold" ? "" : `H${r.h}`;
  const fields = [hid, `P${r.p}`, r.name, idNumber(r.id), "", "self", r.age, r.disability, r.canWork, "false", r.income, "none", r.oop, r.receiving];
  if (r.shape === "short") fields.pop();
  if (r.shape === "quote") fields[1] = 'P"1';
  return fields.join(",");
}

interface Run {
  results: unknown[];
  summary: unknown;
  problems: [number, RowProblem][];
}

const exclude = (id: string) => id === idNumber(7);

function single(text: string): Run {
  const problems: [number, RowProblem][] = [];
  const s = new OutreachScreening(AS_OF, (l, p) => problems.push([l, p]), { excludePerson: exclude });
  s.push(text);
  s.end();
  const results = s.results();
  return { results: results.map(plain), summary: s.summary(results.length), problems };
}

const plain = (r: { householdId: string; flags: string[]; perCapitaIncome: string; members: number; reasons: unknown[]; skippedRows: number }) => ({
  id: r.householdId,
  flags: r.flags,
  P: r.perCapitaIncome,
  members: r.members,
  reasons: r.reasons,
  skipped: r.skippedRows,
});

/** As the CLI does: each part screened alone (later parts with the header in front), then merged. */
function inParts(text: string, cuts: number[]): Run | null {
  const header = text.slice(0, text.indexOf("\n") + 1);
  const starts = [0, ...cuts, text.length];
  const parts: ScreeningPart[] = [];
  for (let k = 0; k + 1 < starts.length; k++) {
    const problems: [number, RowProblem][] = [];
    const s = new OutreachScreening(AS_OF, (l, p) => problems.push([l, p]), { excludePerson: exclude });
    if (k > 0) s.push(header);
    const firstLine = s.nextLine;
    // a part is itself pushed in two chunks
    const body = text.slice(starts[k], starts[k + 1]);
    s.push(body.slice(0, body.length >> 1));
    s.push(body.slice(body.length >> 1));
    const last = k + 2 === starts.length;
    if (last) s.end();
    parts.push(s.exportPart(problems, firstLine));
  }
  const problems: [number, RowProblem][] = [];
  const merged = OutreachScreening.fromParts(AS_OF, parts, (l, p) => problems.push([l, p]));
  if (merged === null) return null;
  const results = merged.results();
  return { results: results.map(plain), summary: merged.summary(results.length), problems };
}

/** Cut points after line breaks (the CLI cuts only there), past the header. */
function cutsAt(text: string, picks: number[]): number[] {
  const breaks: number[] = [];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) if (i + 1 < text.length) breaks.push(i + 1);
  const body = breaks.slice(1);
  if (body.length === 0) return [];
  return [...new Set(picks.map((p) => body[p % body.length]))].sort((a, b) => a - b);
}

/** True when the cut at `at` falls inside a quoted field (a record not ended there). */
function insideRecord(text: string, at: number): boolean {
  const p = new CsvRecordParser({ record: () => {}, malformed: () => {} });
  p.push(text.slice(0, at));
  return p.pending;
}

describe("OutreachScreening.fromParts", () => {
  it("gives exactly what one screening of the whole file gives, for any cut at line breaks", () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.boolean(), (rows, picks, crlf) => {
        const eol = crlf ? "\r\n" : "\n";
        const text = `${COLUMNS.join(",")}${eol}${rows.map(line).join(eol)}${eol}`;
        const cuts = cutsAt(text, picks);
        const got = inParts(text, cuts);
        if (cuts.some((c) => insideRecord(text, c))) expect(got).toBeNull();
        else expect(got).toEqual(single(text));
      }),
      { numRuns: 400 },
    );
  });

  it("skips a person repeated across parts in the later part and reports it in line order", () => {
    const rows = [
      "H1,P1,a,110101195001011239,,self,70,none,false,false,100,none,60000,",
      "H1,P2,b,110101195505051234,,spouse,65,none,false,false,100,none,0,",
      "H1,P1,c,110101195001011239,,self,abc,none,false,false,100,none,0,",
      "H1,P1,d,110101195001011239,,self,70,none,false,false,100,none,0,",
      "H1,P3,e,110101195505051234,,child,10,none,false,false,5000,none,0,",
    ];
    const text = `${COLUMNS.join(",")}\n${rows.join("\n")}\n`;
    const cut = text.indexOf("H1,P1,c");
    const got = inParts(text, [cut])!;
    const want = single(text);
    expect(got).toEqual(want);
    expect(want.problems.map(([l, p]) => [l, p.code])).toEqual([
      [4, "integer"],
      [5, "duplicatePerson"],
    ]);
    expect(want.results[0]).toMatchObject({ id: "H1", members: 3, skipped: 2 });
  });
});
