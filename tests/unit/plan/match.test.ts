// Which organisation a need goes to: the case's district with room first,
// then any district with room, else none; inactive services or organisations
// and services for other needs never.
import { describe, expect, it } from "vitest";
import { matchService, type ServiceOption } from "~/domain/plan";

let n = 0;
function option(over: Partial<ServiceOption>): ServiceOption {
  n += 1;
  return {
    id: `svc-${n}`,
    name: `Service ${n}`,
    organisationId: `org-${n}`,
    organisationName: `Org ${n}`,
    district: "dongcheng",
    needs: ["tutoring"],
    active: true,
    organisationActive: true,
    capacity: 5,
    openReferrals: 0,
    ...over,
  };
}

describe("matchService", () => {
  it("prefers the case's district when it has room", () => {
    const far = option({ district: "haidian", capacity: 50 });
    const near = option({ district: "chaoyang", capacity: 2, openReferrals: 1 });
    expect(matchService("tutoring", "chaoyang", [far, near])?.id).toBe(near.id);
  });

  it("goes to another district when the case's district has no room", () => {
    const full = option({ district: "chaoyang", capacity: 3, openReferrals: 3 });
    const far = option({ district: "haidian" });
    expect(matchService("tutoring", "chaoyang", [full, far])?.id).toBe(far.id);
  });

  it("finds none when no one has room", () => {
    expect(matchService("tutoring", "chaoyang", [option({ capacity: 1, openReferrals: 1 }), option({ capacity: 2, openReferrals: 5 })])).toBeNull();
  });

  it("never picks a service for another need, an inactive service or an inactive organisation", () => {
    const options = [option({ needs: ["job_training"] }), option({ active: false }), option({ organisationActive: false })];
    expect(matchService("tutoring", "dongcheng", options)).toBeNull();
  });

  it("a service meeting several needs matches each of them", () => {
    const both = option({ needs: ["tutoring", "psychological_support"] });
    expect(matchService("psychological_support", null, [both])?.id).toBe(both.id);
    expect(matchService("tutoring", null, [both])?.id).toBe(both.id);
  });

  it("among equals in the district, takes the one with the most room", () => {
    const a = option({ district: "xicheng", capacity: 10, openReferrals: 9 });
    const b = option({ district: "xicheng", capacity: 10, openReferrals: 2 });
    expect(matchService("tutoring", "xicheng", [a, b])?.id).toBe(b.id);
  });

  it("without a district on the case, any service with room", () => {
    const a = option({ district: "fengtai" });
    expect(matchService("tutoring", null, [a])?.id).toBe(a.id);
  });
});
