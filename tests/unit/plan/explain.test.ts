// Plan items in plain words in both languages, the catalogue forms' checks,
// and the agreed-plan text within the SMS limits.
import { beforeAll, describe, expect, it } from "vitest";
import { checkOrganisation, checkService, explainPlanReason, fenToYuan, NEED_CODES, needName, PLAN_REASON_CODES, planAmountText } from "~/domain/plan";
import { smsSegments } from "~/domain/sms/segments";
import { planAgreedText } from "~/models/plan.server";
import { resetConfigForTests } from "~/services/config.server";
import { fixedT } from "~/services/i18n.server";

beforeAll(() => {
  process.env.SESSION_SECRET ??= "unit-test-secret";
  process.env.PUBLIC_URL = "https://lifeline.example.org.cn";
  resetConfigForTests();
  return () => resetConfigForTests();
});

describe("explainPlanReason", () => {
  for (const lng of ["zh-CN", "en"] as const) {
    const t = fixedT(lng, ["plan", "rules"]);
    it(`${lng}: every reason code reads as a sentence with its values filled in`, () => {
      for (const code of PLAN_REASON_CODES) {
        const text = explainPlanReason(t, code, { program: "dibao", count: 2 });
        expect(text, code).not.toMatch(/\{\{|\}\}|reason\.|plan:/);
        expect(text.length, code).toBeGreaterThan(5);
      }
      expect(explainPlanReason(t, "programme_approved", { program: "dibao" })).toContain(t("rules:program.dibao.name"));
    });
    it(`${lng}: every need has a name`, () => {
      for (const need of NEED_CODES) expect(needName(t, need)).not.toContain("need.");
    });
  }

  it("counts people in English", () => {
    const t = fixedT("en", ["plan", "rules"]);
    expect(explainPlanReason(t, "need_tutoring", { count: 1 })).toMatch(/^1 child .* is at school/);
    expect(explainPlanReason(t, "need_tutoring", { count: 3 })).toMatch(/^3 children .* are at school/);
  });

  it("reads an unknown reason code as added by a caseworker", () => {
    const t = fixedT("en", ["plan", "rules"]);
    expect(explainPlanReason(t, "no_such_code", {})).toBe(t("plan:reason.added_by_caseworker"));
  });
});

describe("planAmountText", () => {
  it("shows fen as yuan, exactly", () => {
    const t = fixedT("en", "plan");
    expect(planAmountText(t, 85050, "month")).toBe("850.50 yuan a month");
    expect(planAmountText(t, 120000, "year")).toBe("1200 yuan a year");
    expect(planAmountText(t, null, null)).toBe(t("plan:amount.none"));
    expect(fenToYuan(5)).toBe("0.05");
  });
});

describe("planAgreedText", () => {
  for (const lng of ["zh-CN", "en"] as const) {
    it(`${lng}: names the reference and the counts, links to /track, fits 3 segments`, () => {
      for (const services of [0, 4]) {
        const text = planAgreedText(lng, { reference: "LA-7K4M-Q9XA", programmes: 9, services });
        expect(text).toContain("LA-7K4M-Q9XA");
        expect(text).toContain("https://lifeline.example.org.cn/track");
        expect(text).not.toMatch(/\{\{|\}\}/);
        const size = smsSegments(text);
        expect(size.segments, text).toBeLessThanOrEqual(services === 0 && lng === "en" ? 1 : 2);
        expect(text.length).toBeLessThanOrEqual(size.encoding === "GSM-7" ? 459 : 201);
      }
    });
  }
});

describe("catalogue forms", () => {
  const good = { name: "阳光助残", district: "dongcheng", contactName: "张老师", contactPhone: "010-65550101", capacity: "20" };
  it("accepts a complete organisation and trims it", () => {
    expect(checkOrganisation({ ...good, name: "  阳光助残 " })).toEqual({ ok: true, value: { ...good, capacity: 20 } });
  });
  it.each([
    [{ name: "" }, "name", "required"],
    [{ name: "x".repeat(101) }, "name", "tooLong"],
    [{ district: "" }, "district", "required"],
    [{ district: "atlantis" }, "district", "invalid"],
    [{ contactName: " " }, "contactName", "required"],
    [{ contactPhone: "call me" }, "contactPhone", "invalid"],
    [{ capacity: "" }, "capacity", "required"],
    [{ capacity: "2.5" }, "capacity", "notWhole"],
    [{ capacity: "0" }, "capacity", "range"],
    [{ capacity: "10001" }, "capacity", "range"],
  ])("%j → %s %s", (change, field, code) => {
    const checked = checkOrganisation({ ...good, ...change });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.errors[field]).toBe(code);
  });
  it("a service needs a name and at least one known need", () => {
    expect(checkService({ name: "辅导", needs: ["tutoring", "tutoring"] })).toEqual({ ok: true, value: { name: "辅导", needs: ["tutoring"] } });
    expect(checkService({ name: "", needs: [] })).toEqual({ ok: false, errors: { serviceName: "required", needs: "required" } });
    expect(checkService({ name: "x", needs: ["flying"] })).toEqual({ ok: false, errors: { needs: "invalid" } });
  });
});
