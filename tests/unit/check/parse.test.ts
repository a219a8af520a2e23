// Number parsing as residents type: full-width digits, commas, currency signs,
// 万, unit words; and the specific problem for each kind of bad input.
import { describe, expect, it } from "vitest";
import { parseAmount, parseChoice, parseWholeNumber } from "~/domain/check";

const age = { min: 0, max: 130, suffixes: ["周岁", "岁"] };

describe("parseWholeNumber", () => {
  it.each([
    ["45", 45],
    [" 45 ", 45],
    ["４５", 45],
    ["45岁", 45],
    ["４５周岁", 45],
    ["0", 0],
    ["130", 130],
    ["45.0", 45],
  ])("reads %j as %d", (raw, value) => {
    expect(parseWholeNumber(raw, age)).toEqual({ ok: true, value });
  });

  it.each([
    ["", "required"],
    ["   ", "required"],
    [undefined, "required"],
    ["45.5", "notWhole"],
    ["forty", "notWhole"],
    ["四十五", "notWhole"],
    ["4 5 a", "notWhole"],
    ["131", "range"],
    ["-1", "range"],
    ["99999999999999999999", "range"],
  ])("rejects %j as %s", (raw, problem) => {
    expect(parseWholeNumber(raw as string | undefined, age)).toEqual({ ok: false, problem });
  });

  it("applies the step's own range", () => {
    expect(parseWholeNumber("0", { min: 1, max: 30 })).toEqual({ ok: false, problem: "range" });
    expect(parseWholeNumber("31", { min: 1, max: 30 })).toEqual({ ok: false, problem: "range" });
    expect(parseWholeNumber("30", { min: 1, max: 30 })).toEqual({ ok: true, value: 30 });
  });
});

describe("parseAmount", () => {
  it.each([
    ["1500", 1500],
    ["1,500", 1500],
    ["１２３", 123],
    ["１，５００．５", 1500.5],
    ["¥1,500.50", 1500.5],
    ["￥800", 800],
    ["800元", 800],
    ["800 元", 800],
    ["RMB 800", 800],
    ["800块钱", 800],
    ["0", 0],
    ["0.01", 0.01],
    [".5", 0.5],
    ["1500.", 1500],
    ["3万", 30000],
    ["1.5万", 15000],
    ["1.23456万", 12345.6],
    ["2.500", 2.5],
  ])("reads %j as %d", (raw, value) => {
    expect(parseAmount(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ["", "required"],
    ["abc", "invalid"],
    ["1500 yuan a month", "invalid"],
    ["12-3", "invalid"],
    [".", "invalid"],
    ["-100", "negative"],
    ["¥-100", "negative"],
    ["1500.555", "decimals"],
    ["1.2345678万", "decimals"],
  ])("rejects %j as %s", (raw, problem) => {
    expect(parseAmount(raw)).toEqual({ ok: false, problem });
  });

  it("refuses amounts above the maximum", () => {
    expect(parseAmount("100000001", { max: 100_000_000 })).toEqual({ ok: false, problem: "tooLarge" });
    expect(parseAmount("100000000", { max: 100_000_000 })).toEqual({ ok: true, value: 100_000_000 });
  });

  it("strips the unit words it is given", () => {
    expect(parseAmount("60平方米", { suffixes: ["平方米"] })).toEqual({ ok: true, value: 60 });
    expect(parseAmount("60㎡", { suffixes: ["m2"] })).toEqual({ ok: true, value: 60 });
  });

  it("keeps the typed decimal value exactly", () => {
    const r = parseAmount("1234567.89");
    expect(r.ok && String(r.value)).toBe("1234567.89");
  });
});

describe("parseChoice", () => {
  it("accepts only the listed values", () => {
    expect(parseChoice("yes", ["yes", "no"] as const)).toEqual({ ok: true, value: "yes" });
    expect(parseChoice("maybe", ["yes", "no"] as const)).toEqual({ ok: false, problem: "required" });
    expect(parseChoice(undefined, ["yes", "no"] as const)).toEqual({ ok: false, problem: "required" });
  });
});
