// Tolerant reading of what a resident types on a basic phone or in the chat:
// full-width characters (１２３, ＳＴＯＰ), Chinese numerals (一二三, 十二, 两),
// 是/否/对/不/yes/no, "don't know" in both languages, stray spaces and
// punctuation. Pure functions: the dialogs and the tests share them.

/** Full-width ASCII (U+FF01–U+FF5E) and the ideographic space become plain ASCII; spaces collapse. */
export function normalizeText(raw: string): string {
  let out = "";
  for (const ch of raw.normalize("NFC")) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000) out += " ";
    else out += ch;
  }
  return out.replace(/\s+/g, " ").trim();
}

// Punctuation people add around an answer: "1.", "1、", "(2)", "3号", "「是」".
const WRAPPING = /^[\s"'“”‘’「」『』()（）[\]【】<>《》.,;:!?。，、；：！？~·]+|[\s"'“”‘’「」『』()（）[\]【】<>《》.,;:!?。，、；：！？~·]+$/g;

/** The answer without wrapping punctuation, lower-cased (Chinese is unaffected). */
export function cleanAnswer(raw: string): string {
  return normalizeText(raw).replace(WRAPPING, "").trim().toLowerCase();
}

const DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 三: 3, 叁: 3, 四: 4, 肆: 4, 五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9 };
const UNIT: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000, 万: 10_000 };

/** 一 → 1, 十二 → 12, 二十三 → 23, 一百零五 → 105, 两千 → 2000, 三二 → 32 (digit by digit); null when not a numeral. */
export function parseChineseNumeral(text: string): number | null {
  if (text === "" || ![...text].every((ch) => ch in DIGIT || ch in UNIT)) return null;
  // Only digits: read them one by one, as people text phone-style numbers ("一三八").
  if ([...text].every((ch) => ch in DIGIT)) return Number([...text].map((ch) => DIGIT[ch]).join(""));
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const ch of text) {
    if (ch in DIGIT) {
      digit = DIGIT[ch];
      continue;
    }
    const unit = UNIT[ch];
    if (unit === 10_000) {
      total += (section + (digit ?? 0)) * unit;
      section = 0;
    } else {
      // "十二": a unit with no digit before it means one of it.
      section += (digit ?? 1) * unit;
    }
    digit = null;
  }
  return total + section + (digit ?? 0);
}

// Words people put after a number: 岁 (years), 人/个/口 (people), 元/块 (yuan), 号.
const NUMBER_SUFFIX = /(岁|周岁|个人|人|个|口人|口|元|块钱|块|号|years?( old)?|people|persons?|yuan)$/;

/** A whole number from "3", "３", "三", "3个人", "二十岁", "1,200"; null when it is not one. */
export function parseNumber(raw: string): number | null {
  const text = cleanAnswer(raw).replace(NUMBER_SUFFIX, "").trim();
  if (/^\d{1,3}(,\d{3})+$/.test(text)) return Number(text.replace(/,/g, ""));
  if (/^\d{1,9}$/.test(text)) return Number(text);
  return parseChineseNumeral(text);
}

const YES = new Set(["是", "是的", "对", "对的", "好", "好的", "要", "可以", "嗯", "yes", "y", "yeah", "yep", "ok", "okay", "sure", "right"]);
const NO = new Set(["否", "不", "不是", "不对", "不要", "没有", "没", "无", "no", "n", "nope", "not"]);

/** 是/对/yes → "yes", 否/不/no → "no", anything else → null. */
export function parseYesNo(raw: string): "yes" | "no" | null {
  const text = cleanAnswer(raw);
  if (YES.has(text)) return "yes";
  if (NO.has(text)) return "no";
  return null;
}

const DONT_KNOW = new Set(["不知道", "不清楚", "不确定", "不晓得", "不记得", "说不清", "don't know", "dont know", "do not know", "not sure", "dk", "idk", "unknown", "?", "？"]);

/** "不知道", "don't know", "?"… */
export function isDontKnow(raw: string): boolean {
  const text = cleanAnswer(raw);
  return DONT_KNOW.has(text) || DONT_KNOW.has(normalizeText(raw).toLowerCase()) || /^[?？]+$/.test(normalizeText(raw));
}
