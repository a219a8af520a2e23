// Reading the resident's follow-up answers (issue 9): "did the help arrive?"
// (1 yes, 2 no), "how satisfied, 1 (bad) to 5 (very good)" and an optional
// comment (0 skips it), as texted on a basic phone (１, 一, 是, "5分") or sent
// from the web form. Pure: the SMS step and the web action share it, and the
// tolerant reading is the bot's own (app/domain/bot/normalize.ts).
import { cleanAnswer, parseNumber, parseYesNo } from "~/domain/bot/normalize";

/** A comment longer than this is refused on the web and cut in a text. */
export const COMMENT_MAX = 500;

/** "1" / "１" / "一" / "是" / "yes" → true; "2" / "二" / "否" / "no" → false; anything else → null. */
export function readHelpArrived(raw: string): boolean | null {
  const number = parseNumber(raw);
  if (number === 1) return true;
  if (number === 2) return false;
  const word = parseYesNo(raw);
  return word === null ? null : word === "yes";
}

/** 1–5 ("４", "五", "5分", "5 points"); null for anything else. */
export function readSatisfaction(raw: string): number | null {
  const text = cleanAnswer(raw).replace(/(分|星|points?|stars?)$/, "").trim();
  const number = parseNumber(text);
  return number !== null && Number.isInteger(number) && number >= 1 && number <= 5 ? number : null;
}

/** "0" / "０" / "零" (no comment). */
export function isSkip(raw: string): boolean {
  return parseNumber(raw) === 0;
}

/** A texted comment as stored: spaces tidied, at most COMMENT_MAX characters. */
export function tidyComment(raw: string): string {
  return [...raw.replace(/\s+/g, " ").trim()].slice(0, COMMENT_MAX).join("");
}

export type FollowUpField = "helpArrived" | "satisfaction" | "comment";

export interface FollowUpAnswer {
  helpArrived: boolean;
  satisfaction: number;
  comment: string | null;
}

/** The web form's fields, read; errors name the field and a message key of the "followup" namespace. */
export function readFollowUpForm(fields: { helpArrived?: unknown; satisfaction?: unknown; comment?: unknown }):
  | { ok: true; answer: FollowUpAnswer }
  | { ok: false; errors: Partial<Record<FollowUpField, string>> } {
  const errors: Partial<Record<FollowUpField, string>> = {};
  const help = fields.helpArrived === "yes" ? true : fields.helpArrived === "no" ? false : null;
  if (help === null) errors.helpArrived = "errors.helpArrived";
  const score = typeof fields.satisfaction === "string" && /^[1-5]$/.test(fields.satisfaction) ? Number(fields.satisfaction) : null;
  if (score === null) errors.satisfaction = "errors.satisfaction";
  const raw = typeof fields.comment === "string" ? fields.comment.replace(/\r\n?/g, "\n").trim() : "";
  if ([...raw].length > COMMENT_MAX) errors.comment = "errors.commentTooLong";
  if (help === null || score === null || errors.comment) return { ok: false, errors };
  return { ok: true, answer: { helpArrived: help, satisfaction: score, comment: raw === "" ? null : raw } };
}
