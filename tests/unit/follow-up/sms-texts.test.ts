// Every follow-up text, in both languages, filled with a realistic service
// name, fits the SMS limits (as tests/unit/outbox/sms-texts.test.ts checks
// the other texts): one segment, except the web case's question with the
// tracking link in Chinese (two), and never more than three.
import { beforeAll, describe, expect, it } from "vitest";
import { smsSegments } from "~/domain/sms/segments";
import { followUpSms, type FollowUpSmsKey } from "~/models/follow-up.server";
import { resetConfigForTests } from "~/services/config.server";

const PUBLIC_URL = "https://lifeline.example.org.cn";
const KEYS: FollowUpSmsKey[] = ["ask", "askWeb", "remind", "satisfaction", "satisfactionNotArrived", "comment", "thanks", "hintHelp", "hintSatisfaction"];
const SERVICE = { "zh-CN": "残疾人居家照护", en: "Home care for disability" } as const;
/** Texts allowed two segments, with why. */
const TWO_SEGMENTS = new Set(["zh-CN:askWeb", "en:askWeb"]); // the tracking link takes most of a segment

beforeAll(() => {
  process.env.PUBLIC_URL = PUBLIC_URL;
  process.env.SESSION_SECRET ??= "unit-test-secret";
  resetConfigForTests();
  return () => resetConfigForTests();
});

describe("follow-up texts", () => {
  for (const lng of ["zh-CN", "en"] as const) {
    for (const key of KEYS) {
      it(`${lng}:${key} is filled in and fits`, () => {
        const text = followUpSms(lng, key, { service: SERVICE[lng] });
        expect(text).not.toMatch(/\{\{|\}\}|sms\./);
        if (["ask", "askWeb", "remind"].includes(key)) expect(text).toContain(SERVICE[lng]);
        if (key === "askWeb") expect(text).toContain(`${PUBLIC_URL}/track`);
        const size = smsSegments(text);
        expect(size.encoding).toBe(lng === "en" ? "GSM-7" : "UCS-2");
        expect(size.segments, `${lng}:${key} has ${size.units} units`).toBeLessThanOrEqual(TWO_SEGMENTS.has(`${lng}:${key}`) ? 2 : 1);
      });
    }
  }

  it("tells how to answer with a digit", () => {
    expect(followUpSms("en", "ask", { service: "Tutoring" })).toBe('Lifeline: did you get the help "Tutoring"? Reply 1 if yes, 2 if no.');
    expect(followUpSms("zh-CN", "comment")).toContain("回复0跳过");
  });
});
