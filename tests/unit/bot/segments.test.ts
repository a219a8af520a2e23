// Every bot message fits in 3 SMS segments (201 characters with any Chinese,
// 459 in plain GSM text), in both languages, with realistic values filled in.
import { describe, expect, it } from "vitest";
import { fitsSmsLimit, type Reply } from "~/domain/bot";
import { PROGRAM_CODES } from "~/domain/eligibility";
import { smsSegments } from "~/domain/sms/segments";
import { SUPPORTED_LANGUAGES } from "~/i18n";
import { resources } from "~/services/i18n.server";
import { renderReply } from "../../../bot/render";

function keys(obj: unknown, prefix = ""): string[] {
  if (obj && typeof obj === "object") return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  return [prefix];
}

// The longest values each placeholder takes in real use.
const VALUES = {
  n: 8,
  total: 8,
  phone: "138****5678",
  reference: "CB-7K4M-Q9XA",
  url: "https://yuanshou.example.gov.cn/apply",
  // the longest wait the abuse limits name ("try again in …")
  wait: "59 minutes",
};

describe("bot messages", () => {
  for (const lng of SUPPORTED_LANGUAGES) {
    const all = keys(resources[lng].bot);
    it(`${lng}: there are messages to check`, () => expect(all.length).toBeGreaterThan(50));
    for (const key of all) {
      it(`${lng}: ${key} fits in 3 segments`, () => {
        const reply: Reply = { key, params: VALUES, programs: key.startsWith("check.result") ? [...PROGRAM_CODES] : undefined };
        const text = renderReply(reply, lng).text;
        expect(text).not.toBe(`bot:${key}`);
        expect(text).not.toMatch(/\{\{|\}\}/);
        expect(fitsSmsLimit(text), `${text.length} chars, ${smsSegments(text).segments} segments: ${text}`).toBe(true);
      });
    }
  }

  it("most messages fit in one segment", () => {
    const sizes = SUPPORTED_LANGUAGES.flatMap((lng) => keys(resources[lng].bot).map((key) => smsSegments(renderReply({ key, params: VALUES }, lng).text).segments));
    const short = sizes.filter((s) => s === 1).length;
    expect(short / sizes.length).toBeGreaterThan(0.8);
  });

  it("counts Chinese against the UCS-2 limit (201 characters in 3 segments)", () => {
    expect(fitsSmsLimit("援".repeat(201))).toBe(true);
    expect(fitsSmsLimit("援".repeat(202))).toBe(false);
    expect(fitsSmsLimit("a".repeat(459))).toBe(true);
    expect(fitsSmsLimit("a".repeat(460))).toBe(false);
  });
});
