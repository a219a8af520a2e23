// Every text in the "sms" namespace, rendered with realistic values, fits in
// at most 3 segments; the ones that need more than one are listed here on
// purpose, so a longer wording shows up as a failing test, not a bigger bill.
import { beforeAll, describe, expect, it } from "vitest";
import { smsSegments } from "~/domain/sms/segments";
import type { Language } from "~/i18n";
import { resetConfigForTests } from "~/services/config.server";
import { SMS_TEXT_KEYS, smsText, type SmsTextValues } from "~/services/sms-text.server";

const PUBLIC_URL = "https://lifeline.example.org.cn";

// Long but plausible: a 4-character name, a resume link with a 32-character token.
const VALUES: Record<Language, SmsTextValues> = {
  "zh-CN": {
    applicationReceipt: { reference: "LA-7K4M-Q9XA" },
    trackingCode: { code: "123456" },
    proxyConsentCode: { code: "123456", proxyName: "欧阳晓明" },
    resumeLink: { url: `${PUBLIC_URL}/apply/resume/${"a".repeat(32)}` },
    callbackConfirmation: { reference: "CB-7K4M-Q9XA" },
  },
  en: {
    applicationReceipt: { reference: "LA-7K4M-Q9XA" },
    trackingCode: { code: "123456" },
    proxyConsentCode: { code: "123456", proxyName: "Ouyang Xiaoming" },
    resumeLink: { url: `${PUBLIC_URL}/apply/resume/${"a".repeat(32)}` },
    callbackConfirmation: { reference: "CB-7K4M-Q9XA" },
  },
};

/** Texts allowed more than one segment, with why. */
const MULTI_SEGMENT = new Set(["zh-CN:resumeLink"]); // a long link alone takes most of 70 characters

beforeAll(() => {
  process.env.PUBLIC_URL = PUBLIC_URL;
  process.env.SESSION_SECRET ??= "unit-test-secret";
  resetConfigForTests();
  return () => resetConfigForTests();
});

describe("sms texts", () => {
  for (const lng of ["zh-CN", "en"] as const) {
    for (const key of SMS_TEXT_KEYS) {
      it(`${lng}:${key} fills every value and fits`, () => {
        const text = smsText(lng, key, VALUES[lng][key] as never);
        expect(text).not.toMatch(/\{\{|\}\}/);
        for (const value of Object.values(VALUES[lng][key])) expect(text).toContain(value);
        const size = smsSegments(text);
        expect(size.encoding).toBe(lng === "en" ? "GSM-7" : "UCS-2");
        expect(size.segments).toBeLessThanOrEqual(3);
        expect(text.length).toBeLessThanOrEqual(size.encoding === "GSM-7" ? 459 : 201);
        expect(size.segments, `${lng}:${key} has ${size.units} units`).toBe(MULTI_SEGMENT.has(`${lng}:${key}`) ? 2 : 1);
      });
    }
  }

  it("links the receipt to this installation's tracking page", () => {
    expect(smsText("en", "applicationReceipt", { reference: "LA-7K4M-Q9XA" })).toContain(`${PUBLIC_URL}/track`);
    expect(smsText("zh-CN", "applicationReceipt", { reference: "LA-7K4M-Q9XA" })).toContain(`${PUBLIC_URL}/track`);
  });

  it("says the tracking code's rules in plain words", () => {
    expect(smsText("en", "trackingCode", { code: "123456" })).toBe("Your Lifeline code is 123456. It works for 10 minutes. Do not share it.");
  });
});
