// Status texts: one for every status a case can move to, in both languages,
// with the reference and nothing else personal, in one SMS segment with a
// realistic reference (and a list of three missing documents).
import { beforeAll, describe, expect, it } from "vitest";
import { CASE_STATUSES, EVIDENCE_TYPES } from "~/domain/case";
import { smsSegments } from "~/domain/sms/segments";
import { statusChangeText } from "~/models/application.server";
import { resetConfigForTests } from "~/services/config.server";

const REFERENCE = "LA-7K4M-Q9XA";

beforeAll(() => {
  process.env.SESSION_SECRET ??= "unit-test-secret";
  resetConfigForTests();
});

describe("statusChangeText", () => {
  for (const lng of ["zh-CN", "en"] as const) {
    for (const status of CASE_STATUSES.filter((s) => s !== "submitted")) {
      it(`${lng}: ${status} names the reference and fits one segment`, () => {
        const text = statusChangeText(lng, status, { reference: REFERENCE, missing: ["id_card", "household_register", "income_proof"] });
        expect(text).toContain(REFERENCE);
        expect(text).not.toMatch(/\{\{|\}\}|status\.|evidence\./);
        expect(smsSegments(text).segments, text).toBe(1);
      });
    }

    it(`${lng}: asking for information lists what is missing in words`, () => {
      const text = statusChangeText(lng, "needs_information", { reference: REFERENCE, missing: ["id_card", "medical_bills"] });
      expect(text).toContain(lng === "en" ? "ID card, medical bills" : "身份证、医疗票据");
    });

    it(`${lng}: with only a note, the text points to the tracking page instead of a list`, () => {
      const text = statusChangeText(lng, "needs_information", { reference: REFERENCE, missing: [] });
      expect(text).toContain(REFERENCE);
      expect(text).not.toContain(lng === "en" ? "ID card" : "身份证");
    });

    it(`${lng}: every document type has a short name`, () => {
      for (const type of EVIDENCE_TYPES) {
        const text = statusChangeText(lng, "needs_information", { reference: REFERENCE, missing: [type] });
        expect(text).not.toContain(`evidence.${type}`);
      }
    });
  }

  it("is in the language asked for", () => {
    expect(statusChangeText("zh-CN", "approved", { reference: REFERENCE })).toMatch(/已批准/);
    expect(statusChangeText("en", "approved", { reference: REFERENCE })).toMatch(/approved/);
  });
});
