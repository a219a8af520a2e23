import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idCheckCharacter, maskIdNumber, validateIdNumber } from "~/domain/identity/id-number";

// The algorithm written out again, independently of the module, so a wrong
// weight or table there cannot agree with itself here.
function referenceCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i];
  // GB 11643: (12 - sum mod 11) mod 11, with 10 written as X.
  const c = (12 - (sum % 11)) % 11;
  return c === 10 ? "X" : String(c);
}

const withCheck = (first17: string) => first17 + referenceCheck(first17);
const asOf = "2025-06-01";

describe("validateIdNumber: valid numbers", () => {
  it("accepts fixed examples checked by hand", () => {
    // The worked example printed in GB 11643-1999 itself.
    expect(validateIdNumber("11010519491231002X", { asOf })).toEqual({ ok: true, value: "11010519491231002X", birthDate: "1949-12-31", sex: "female" });
    expect(validateIdNumber("110101199003074514", { asOf })).toEqual({ ok: true, value: "110101199003074514", birthDate: "1990-03-07", sex: "male" });
    // Born on a leap day, check character X.
    expect(validateIdNumber("44030820000229001X", { asOf })).toEqual({ ok: true, value: "44030820000229001X", birthDate: "2000-02-29", sex: "male" });
  });

  it("accepts a lowercase x and returns it in upper case", () => {
    const result = validateIdNumber("11010519491231002x", { asOf });
    expect(result).toMatchObject({ ok: true, value: "11010519491231002X" });
  });

  it("tolerates spaces of any kind and full-width digits and X", () => {
    const fullWidth = "１１０１０５１９４９１２３１００２Ｘ";
    expect(validateIdNumber(fullWidth, { asOf })).toMatchObject({ ok: true, value: "11010519491231002X" });
    expect(validateIdNumber(" 110105 19491231 002X ", { asOf })).toMatchObject({ ok: true, value: "11010519491231002X" });
    expect(validateIdNumber("110105\u300019491231\u00A0002ｘ", { asOf })).toMatchObject({ ok: true, value: "11010519491231002X" });
  });

  it("reads the sex from the 17th digit: odd is male, even is female", () => {
    expect(validateIdNumber(withCheck("11010119900307001"), { asOf })).toMatchObject({ ok: true, sex: "male" });
    expect(validateIdNumber(withCheck("11010119900307002"), { asOf })).toMatchObject({ ok: true, sex: "female" });
  });

  it("accepts every well-formed number with a real birth date and the right check character", () => {
    const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(""));
    const date = fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2025-06-01T00:00:00Z"), noInvalidDate: true });
    fc.assert(
      fc.property(digits(6), date, digits(3), (area, born, seq) => {
        const ymd = born.toISOString().slice(0, 10);
        const id = withCheck(area + ymd.replaceAll("-", "") + seq);
        const result = validateIdNumber(id, { asOf });
        expect(result).toEqual({ ok: true, value: id, birthDate: ymd, sex: Number(seq[2]) % 2 ? "male" : "female" });
        expect(idCheckCharacter(id.slice(0, 17))).toBe(id[17]);
      }),
    );
  });

  it("accepts a birth date of today and 1900-01-01, the two ends", () => {
    expect(validateIdNumber(withCheck("11010120250601123"), { asOf })).toMatchObject({ ok: true, birthDate: "2025-06-01" });
    expect(validateIdNumber(withCheck("11010119000101123"), { asOf })).toMatchObject({ ok: true, birthDate: "1900-01-01" });
  });

  it("uses today's date when no asOf is given", () => {
    expect(validateIdNumber("11010519491231002X")).toMatchObject({ ok: true });
    expect(validateIdNumber(withCheck("11010130000101123"))).toEqual({ ok: false, error: "idNumber.birthDate" });
  });
});

describe("validateIdNumber: errors", () => {
  it("required when nothing or only spaces were typed", () => {
    expect(validateIdNumber("")).toEqual({ ok: false, error: "idNumber.required" });
    expect(validateIdNumber("  \u3000 ")).toEqual({ ok: false, error: "idNumber.required" });
    expect(validateIdNumber(undefined as unknown as string)).toEqual({ ok: false, error: "idNumber.required" });
  });

  it("length when there are not 18 characters", () => {
    expect(validateIdNumber("11010519491231002", { asOf })).toEqual({ ok: false, error: "idNumber.length" });
    expect(validateIdNumber("11010519491231002X1", { asOf })).toEqual({ ok: false, error: "idNumber.length" });
    // The old 15-digit cards are no longer valid.
    expect(validateIdNumber("110105491231002", { asOf })).toEqual({ ok: false, error: "idNumber.length" });
  });

  it("chars for letters, punctuation, or an X anywhere but the end", () => {
    expect(validateIdNumber("11010519491231002Y", { asOf })).toEqual({ ok: false, error: "idNumber.chars" });
    expect(validateIdNumber("110105-19491231-002X", { asOf })).toEqual({ ok: false, error: "idNumber.chars" });
    expect(validateIdNumber("abc", { asOf })).toEqual({ ok: false, error: "idNumber.chars" });
    expect(validateIdNumber("1101051949123100X2", { asOf })).toEqual({ ok: false, error: "idNumber.chars" });
  });

  it("birthDate for a date that does not exist, is in the future or before 1900", () => {
    for (const date of ["19900230", "19901301", "19900100", "19900001", "20230229"]) {
      expect(validateIdNumber(withCheck(`110101${date}123`), { asOf }), date).toEqual({ ok: false, error: "idNumber.birthDate" });
    }
    expect(validateIdNumber(withCheck("11010120250602123"), { asOf })).toEqual({ ok: false, error: "idNumber.birthDate" });
    expect(validateIdNumber(withCheck("11010118991231123"), { asOf })).toEqual({ ok: false, error: "idNumber.birthDate" });
    // The standard's own 1880 example has a right check character but is too old here.
    expect(validateIdNumber("440524188001010014", { asOf })).toEqual({ ok: false, error: "idNumber.birthDate" });
  });

  it("checkDigit for a wrong check character", () => {
    expect(validateIdNumber("110105194912310021", { asOf })).toEqual({ ok: false, error: "idNumber.checkDigit" });
    expect(validateIdNumber("110101199003077777", { asOf })).toEqual({ ok: false, error: "idNumber.checkDigit" });
  });

  it("checkDigit catches every single mistyped digit", () => {
    const valid = "110101199003074514";
    for (let i = 0; i < 18; i++) {
      for (const d of "0123456789") {
        if (d === valid[i]) continue;
        const typo = valid.slice(0, i) + d + valid.slice(i + 1);
        const result = validateIdNumber(typo, { asOf });
        expect(result.ok, typo).toBe(false);
      }
    }
  });
});

describe("idCheckCharacter", () => {
  it("agrees with the formula written independently", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 17, maxLength: 17 }), (d) => {
        expect(idCheckCharacter(d.join(""))).toBe(referenceCheck(d.join("")));
      }),
    );
  });

  it("refuses anything but 17 digits", () => {
    expect(() => idCheckCharacter("1234")).toThrow();
  });
});

describe("maskIdNumber", () => {
  it("keeps the first 3 and last 4 characters and hides the rest one star each", () => {
    expect(maskIdNumber("110101199003077777")).toBe("110***********7777");
    expect(maskIdNumber("11010519491231002x")).toBe("110***********002X");
    expect(maskIdNumber("１１０１０５ １９４９１２３１００２Ｘ")).toBe("110***********002X");
  });

  it("never shows the birth date", () => {
    expect(maskIdNumber("11010519491231002X")).not.toContain("1949");
  });

  it("hides short input entirely", () => {
    expect(maskIdNumber("1234567")).toBe("*******");
    expect(maskIdNumber("")).toBe("");
  });
});
