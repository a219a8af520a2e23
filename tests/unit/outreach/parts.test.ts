// The parallel screening (each part reads the whole file as bytes and keeps
// its own households, see ReaderPart) against one screening of the whole file
// as text: for generated files with malformed rows, repeated person_ids,
// quoted fields with line breaks, spaces and upper-case codes (the full
// path), opt-outs, any number of parts and the bytes offered in any pieces,
// the ranked results, the summary and every reported problem with its line
// number are the same.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COLUMNS, OutreachScreening, compareScreened, keyHash, partOfHash, type RowProblem, type ScreenedHousehold, type ScreeningCounts } from "~/domain/outreach";
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

/**
 * As the CLI does: every part reads the whole file, the header as text and the
 * rest as bytes (offered in pieces cut anywhere, what a part did not take
 * offered again with more), keeping its own households (ReaderPart); the
 * parts' ranked lists, counts and problems are then put together.
 */
function inParts(text: string, count: number, cuts: number[]): Run {
  const bytes = new TextEncoder().encode(text);
  const headerEnd = bytes.indexOf(10) + 1;
  const header = new TextDecoder().decode(bytes.subarray(0, headerEnd));
  const problems: [number, RowProblem][] = [];
  const results: ScreenedHousehold[] = [];
  const counts: ScreeningCounts[] = [];
  for (let index = 0; index < count; index++) {
    const s = new OutreachScreening(AS_OF, (l, p) => problems.push([l, p]), { excludePerson: exclude, part: { index, count } });
    s.push(header);
    let from = headerEnd;
    for (const cut of [...cuts.map((c) => headerEnd + (c % (bytes.length - headerEnd + 1))).sort((x, y) => x - y), bytes.length]) {
      if (cut < from) continue;
      const final = cut === bytes.length;
      from += s.pushBytes(bytes.subarray(from, cut), final);
    }
    expect(from).toBe(bytes.length);
    const own = s.results();
    results.push(...own);
    counts.push(s.counts());
  }
  results.sort(compareScreened);
  problems.sort((a, b) => a[0] - b[0]);
  return { results: results.map(plain), summary: OutreachScreening.summaryOfParts(AS_OF, counts, results.length), problems };
}

describe("a screening in parts (ReaderPart, pushBytes)", () => {
  it("gives exactly what one screening of the whole file gives, for any number of parts and any pieces of bytes", () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        (rows, count, cuts, crlf, lastBreak) => {
          const eol = crlf ? "\r\n" : "\n";
          const text = `${COLUMNS.join(",")}${eol}${rows.map(line).join(eol)}${lastBreak ? eol : ""}`;
          expect(inParts(text, count, cuts)).toEqual(single(text));
        },
      ),
      { numRuns: 400 },
    );
  }, 60_000);

  it("puts every household in exactly one part", () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `H${i}`);
    for (const count of [2, 3, 5]) {
      const sizes = new Array<number>(count).fill(0);
      for (const k of keys) sizes[partOfHash(keyHash(k), count)]++;
      expect(sizes.reduce((a, b) => a + b)).toBe(keys.length);
      // spread fairly evenly (each part does its share of the work)
      for (const n of sizes) expect(n).toBeGreaterThan((keys.length / count) * 0.8);
    }
  });

  it("skips a repeated person and reports the problems in line order", () => {
    const rows = [
      "H1,P1,a,110101195001011239,,self,70,none,false,false,100,none,60000,",
      "H1,P2,b,110101195505051234,,spouse,65,none,false,false,100,none,0,",
      "H1,P1,c,110101195001011239,,self,abc,none,false,false,100,none,0,",
      "H1,P1,d,110101195001011239,,self,70,none,false,false,100,none,0,",
      "H1,P3,e,110101195505051234,,child,10,none,false,false,5000,none,0,",
    ];
    const text = `${COLUMNS.join(",")}\n${rows.join("\n")}\n`;
    const got = inParts(text, 2, [text.indexOf("H1,P1,c"), 7]);
    const want = single(text);
    expect(got).toEqual(want);
    expect(want.problems.map(([l, p]) => [l, p.code])).toEqual([
      [4, "integer"],
      [5, "duplicatePerson"],
    ]);
    expect(want.results[0]).toMatchObject({ id: "H1", members: 3, skipped: 2 });
  });
});
