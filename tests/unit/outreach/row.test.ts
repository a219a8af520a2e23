// A departmental row: every column checked, problems named without echoing
// personal data; the header accepts any column order and names what is missing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idCheckCharacter, validateIdNumber } from "~/domain/identity";
import { COLUMNS, dateNumber, parseFen, quickIdNumber, readHeader, readPersonRow, type ColumnIndex } from "~/domain/outreach";

const header = readHeader([...COLUMNS]);
if (!header.ok) throw new Error("header");
const index: ColumnIndex = header.index;
const AS_OF = "2026-06-01";

const good: Record<string, string> = {
  household_id: "H1",
  person_id: "P1",
  name: "王大明",
  id_number: "110101195001011239",
  phone: "138 0013 8000",
  relation: "self",
  age: "76",
  disability: "none",
  can_work: "false",
  employed: "FALSE",
  monthly_income: "850.5",
  student: "none",
  annual_medical_oop: "62000",
  receiving: "medical; dibao",
};

const row = (change: Record<string, string> = {}) => COLUMNS.map((c) => change[c] ?? good[c]);
const read = (change: Record<string, string> = {}) => readPersonRow(row(change), index, COLUMNS.length, AS_OF);

describe("readPersonRow", () => {
  it("reads a good row, amounts in fen", () => {
    const r = read();
    expect(r.ok && r.person).toMatchObject({
      householdId: "H1",
      personId: "P1",
      idNumber: "110101195001011239",
      phone: "138 0013 8000",
      age: 76,
      canWork: false,
      employed: false,
      incomeFen: 85050,
      medicalFen: 6200000,
      receiving: ["medical", "dibao"],
    });
  });

  it.each([
    [{ household_id: " " }, "required", "household_id"],
    [{ person_id: "" }, "required", "person_id"],
    [{ id_number: "110101195001011238" }, "idNumber", "id_number"],
    [{ id_number: "11010120300101123X" }, "idNumber", "id_number"],
    [{ relation: "cousin" }, "enum", "relation"],
    [{ disability: "very" }, "enum", "disability"],
    [{ student: "college" }, "enum", "student"],
    [{ age: "abc" }, "integer", "age"],
    [{ age: "-1" }, "integer", "age"],
    [{ age: "131" }, "integer", "age"],
    [{ age: "40.5" }, "integer", "age"],
    [{ can_work: "yes" }, "boolean", "can_work"],
    [{ employed: "" }, "boolean", "employed"],
    [{ monthly_income: "-5" }, "amount", "monthly_income"],
    [{ monthly_income: "abc" }, "amount", "monthly_income"],
    [{ monthly_income: "1.234" }, "amount", "monthly_income"],
    [{ monthly_income: "" }, "amount", "monthly_income"],
    [{ annual_medical_oop: "1e5" }, "amount", "annual_medical_oop"],
    [{ annual_medical_oop: "100000000.01" }, "amount", "annual_medical_oop"],
    [{ receiving: "dibao;cash" }, "receiving", "receiving"],
  ])("%o is malformed (%s)", (change, code, column) => {
    const r = read(change);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.code).toBe(code);
      expect(r.problem.values.column).toBe(column);
      // problems never carry the name, ID number or phone
      expect(JSON.stringify(r.problem)).not.toMatch(/王大明|110101195001011239|13800138000/);
    }
  });

  it("a wrong number of fields is malformed but still names its household", () => {
    const r = readPersonRow(row().slice(0, 12), index, COLUMNS.length, AS_OF);
    expect(r).toMatchObject({ ok: false, problem: { code: "fieldCount", values: { expected: 14, found: 12 } }, householdId: "H1" });
  });

  it("accepts an empty phone and receiving, and an unusable phone (it must not drop a member from the figures)", () => {
    const r = read({ phone: "", receiving: "" });
    expect(r.ok && r.person.receiving).toEqual([]);
    expect(read({ phone: "12345" }).ok).toBe(true);
  });
});

describe("parseFen", () => {
  it("reads whole yuan and up to 2 decimals exactly", () => {
    expect(parseFen("0")).toBe(0);
    expect(parseFen("50000")).toBe(5_000_000);
    expect(parseFen("50000.01")).toBe(5_000_001);
    expect(parseFen("0.1")).toBe(10);
    expect(parseFen("100000000")).toBe(10_000_000_000);
    expect(parseFen("100000000.01")).toBeNull();
    expect(parseFen("1,000")).toBeNull();
    expect(parseFen(".5")).toBeNull();
  });
});

describe("readHeader", () => {
  it("accepts the columns in any order, with extra columns", () => {
    const shuffled = ["extra", ...[...COLUMNS].reverse()];
    const h = readHeader(shuffled);
    expect(h.ok && h.index.household_id).toBe(shuffled.indexOf("household_id"));
    expect(h.ok && h.width).toBe(15);
  });
  it("names missing and repeated columns", () => {
    expect(readHeader(COLUMNS.filter((c) => c !== "age" && c !== "phone"))).toEqual({ ok: false, missing: ["phone", "age"], duplicated: [] });
    expect(readHeader([...COLUMNS, "age"])).toEqual({ ok: false, missing: [], duplicated: ["age"] });
  });
});

describe("quickIdNumber", () => {
  const asOf = "2026-06-01";
  it("agrees with validateIdNumber whenever it accepts, and accepts every plain valid number", () => {
    const digits = fc.string({ unit: fc.constantFrom("0", "1", "2", "3", "9", "X", "x"), minLength: 17, maxLength: 19 });
    const plausible = fc
      .tuple(fc.integer({ min: 1890, max: 2030 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 999 }))
      .map(([y, m, d, seq]) => {
        const first17 = `110101${y}${String(m).padStart(2, "0")}${String(d).padStart(2, "0")}${String(seq).padStart(3, "0")}`;
        return first17 + idCheckCharacter(first17);
      });
    fc.assert(
      fc.property(fc.oneof(digits, plausible, plausible.map((s) => s.toLowerCase())), (raw) => {
        const quick = quickIdNumber(raw, dateNumber(asOf));
        const full = validateIdNumber(raw, { asOf });
        if (quick !== null) expect(full).toMatchObject({ ok: true, value: quick });
        else if (raw.length === 18 && /^[0-9]{17}[0-9Xx]$/.test(raw)) expect(full.ok).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });
  it("leaves full-width digits and spaces to validateIdNumber", () => {
    expect(quickIdNumber("１１０101195001011239", dateNumber(asOf))).toBeNull();
    expect(read({ id_number: "１１０101195001011239" }).ok).toBe(true);
  });
});
