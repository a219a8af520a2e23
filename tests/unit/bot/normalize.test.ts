// Tolerant input: what people type on basic phones and in the chat.
import { describe, expect, it } from "vitest";
import { cleanAnswer, detectKeyword, isDontKnow, normalizeText, parseChineseNumeral, parseNumber, parseYesNo } from "~/domain/bot";

describe("normalizeText", () => {
  it("turns full-width digits, letters and spaces into ASCII and collapses spaces", () => {
    expect(normalizeText("１２３")).toBe("123");
    expect(normalizeText("ＳＴＯＰ")).toBe("STOP");
    expect(normalizeText("  1\u3000 2  ")).toBe("1 2");
  });
  it("drops wrapping punctuation in answers", () => {
    expect(cleanAnswer(" 1。")).toBe("1");
    expect(cleanAnswer("（2）")).toBe("2");
    expect(cleanAnswer("「是」")).toBe("是");
  });
});

describe("numbers", () => {
  it.each([
    ["3", 3],
    ["３", 3],
    [" 3 ", 3],
    ["三", 3],
    ["两", 2],
    ["十", 10],
    ["十二", 12],
    ["二十", 20],
    ["二十三", 23],
    ["一百零五", 105],
    ["两千", 2000],
    ["3个人", 3],
    ["六十五岁", 65],
    ["1,200", 1200],
    ["１。", 1],
  ])("%s → %d", (text, value) => {
    expect(parseNumber(text)).toBe(value);
  });
  it.each(["", "abc", "3.5", "-2", "三点五", "1 2"])("%j is not a whole number", (text) => {
    expect(parseNumber(text)).toBeNull();
  });
  it("reads a run of digits as digits", () => {
    expect(parseChineseNumeral("一三八")).toBe(138);
  });
});

describe("yes / no / don't know", () => {
  it.each(["是", "是的", "对", "yes", "YES", "Ｙｅｓ", "y", "好"])("%s is yes", (t) => expect(parseYesNo(t)).toBe("yes"));
  it.each(["否", "不", "不是", "no", "No", "n"])("%s is no", (t) => expect(parseYesNo(t)).toBe("no"));
  it("leaves other words alone", () => expect(parseYesNo("maybe")).toBeNull());
  it.each(["不知道", "不清楚", "don't know", "Dont know", "?", "？"])("%s is don't know", (t) => expect(isDontKnow(t)).toBe(true));
  it("a number is not don't know", () => expect(isDontKnow("9")).toBe(false));
});

describe("keywords", () => {
  it.each([
    ["0", "agent"],
    ["０", "agent"],
    [" 0 ", "agent"],
    ["人工", "agent"],
    ["help", "agent"],
    ["HELP", "agent"],
    ["Agent", "agent"],
    ["STOP", "stop"],
    ["stop", "stop"],
    ["ＳＴＯＰ", "stop"],
    ["退订", "stop"],
    ["START", "start"],
    ["EN", "english"],
    ["en", "english"],
    ["中文", "chinese"],
  ])("%j → %s", (text, keyword) => {
    expect(detectKeyword(text)).toBe(keyword);
  });
  it.each(["10", "stop it", "人工服务在哪", "1", "STOPPED"])("%j is no keyword", (text) => {
    expect(detectKeyword(text)).toBeNull();
  });
});
