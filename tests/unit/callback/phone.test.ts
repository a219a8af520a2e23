import { describe, expect, it } from "vitest";
import { maskPhone, normalizeMobile } from "~/domain/callback/phone";

describe("normalizeMobile", () => {
  it.each([
    ["13812345678"],
    ["138 1234 5678"],
    ["138-1234-5678"],
    ["+86 138 1234 5678"],
    ["+86-13812345678"],
    ["(+86) 138.1234.5678"],
    ["008613812345678"],
    ["0086 138 1234 5678"],
    ["8613812345678"],
    ["86 138 1234 5678"],
    ["１３８１２３４５６７８"],
    ["＋８６　１３８－１２３４－５６７８"],
    ["  13812345678  "],
    ["013812345678"],
  ])("accepts %j as +8613812345678", (raw) => {
    expect(normalizeMobile(raw)).toEqual({ ok: true, phone: "+8613812345678" });
  });

  it("accepts every mobile prefix 13x to 19x", () => {
    for (const second of "3456789") expect(normalizeMobile(`1${second}012345678`)).toEqual({ ok: true, phone: `+861${second}012345678` });
  });

  it.each([
    ["", "phone.required"],
    ["   ", "phone.required"],
    ["- -", "phone.required"],
    ["1381234567", "phone.tooShort"],
    ["138 1234", "phone.tooShort"],
    ["+86 138 1234 567", "phone.tooShort"],
    ["138123456789", "phone.tooLong"],
    ["+86 1381234567890", "phone.tooLong"],
    ["010-12345678", "phone.notMobile"],
    ["0755 1234 5678", "phone.notMobile"],
    ["+86 10 1234 5678", "phone.notMobile"],
    ["12345678901", "phone.notMobile"],
    ["11012345678", "phone.notMobile"],
    ["95588", "phone.notMobile"],
    ["+852 9123 4567", "phone.notMobile"],
    ["+1 415 555 0100", "phone.notMobile"],
    ["001 415 555 0100", "phone.notMobile"],
    ["138a1234567", "phone.invalidChars"],
    ["138/1234/5678", "phone.invalidChars"],
    ["13812345678 ext 1", "phone.invalidChars"],
    ["1+3812345678", "phone.invalidChars"],
    ["电话13812345678", "phone.invalidChars"],
  ])("rejects %j with %s", (raw, error) => {
    expect(normalizeMobile(raw)).toEqual({ ok: false, error });
  });
});

describe("maskPhone", () => {
  it("keeps the first 3 and last 4 digits of a mobile", () => {
    expect(maskPhone("+8613812345678")).toBe("138****5678");
    expect(maskPhone("139 0000 1111")).toBe("139****1111");
  });

  it("never returns more than the last 4 digits of anything else", () => {
    expect(maskPhone("+14155550100")).toBe("****0100");
    expect(maskPhone("123")).toBe("****");
    expect(maskPhone("")).toBe("****");
  });
});
