// The eligibility API's wire format: default date in Shanghai and the response
// body built from an assessment, with every reason explained.
import { describe, expect, it } from "vitest";
import { assessHousehold, explainChange, explainReason } from "~/domain/eligibility";
import { EARLIEST_RULES_DATE, eligibilityResponse, todayInShanghai } from "~/domain/validation/eligibility-api";
import { fixedT } from "~/services/i18n.server";

describe("todayInShanghai", () => {
  it("is already tomorrow in Shanghai from 16:00 UTC", () => {
    expect(todayInShanghai(new Date("2026-06-01T15:59:59Z"))).toBe("2026-06-01");
    expect(todayInShanghai(new Date("2026-06-01T16:00:00Z"))).toBe("2026-06-02");
    expect(todayInShanghai(new Date("2026-12-31T16:30:00Z"))).toBe("2027-01-01");
  });
});

describe("eligibilityResponse", () => {
  const household = { members: [{ age: 40, canWork: true, employed: false, monthlyIncome: 500 }] };
  const assessment = assessHousehold(household, "2026-06-01");

  it("keeps the assessment and adds a message to every reason and change", () => {
    const t = fixedT("en", "rules");
    const body = eligibilityResponse(assessment, t);
    expect(body.asOf).toBe("2026-06-01");
    expect(body.rulesVersion).toBe(assessment.rulesVersion);
    body.results.forEach((result, i) => {
      const source = assessment.results[i];
      expect(result.program).toBe(source.program);
      expect(result.outcome).toBe(source.outcome);
      expect(result.amount).toEqual(source.amount);
      expect(result.missing).toEqual(source.missing);
      expect(result.reasons).toEqual(source.reasons.map((r) => ({ ...r, message: explainReason(t, r) })));
      expect(result.changes).toEqual(source.changes.map((c) => ({ ...c, message: explainChange(t, c) })));
    });
  });

  it("knows the first date with rules", () => {
    expect(EARLIEST_RULES_DATE).toBe("2026-01-01");
  });
});
