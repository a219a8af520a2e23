// screenHousehold's whole-number path against the BigInt path
// (screenHouseholdExact) for any household totals, on both rule versions:
// same flags, figures, texts, P and ranking fields.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compiledParametersFor } from "~/domain/eligibility";
import type { HouseholdTally } from "~/domain/outreach";
import { screenHousehold, screenHouseholdExact } from "~/domain/outreach/flags";

const tallyArb = fc.record({
  members: fc.integer({ min: 1, max: 12 }),
  incomeFen: fc.oneof(fc.integer({ min: 0, max: 300_000 }), fc.integer({ min: 0, max: 10_000_000_000 })),
  medicalFen: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000_000 })),
  mainLabour: fc.integer({ min: 0, max: 2 }),
  severeDisability: fc.integer({ min: 0, max: 2 }),
  anyReceiving: fc.boolean(),
  receivesDibao: fc.boolean(),
  receivesTekun: fc.boolean(),
  soleAge: fc.integer({ min: 0, max: 130 }),
  soleIncomeFen: fc.integer({ min: 0, max: 300_000 }),
  skippedRows: fc.integer({ min: 0, max: 3 }),
});

describe("screenHousehold", () => {
  it.each(["2026-06-01", "2027-06-01"])("gives what the BigInt path gives on %s", (asOf) => {
    const params = compiledParametersFor(asOf);
    fc.assert(
      fc.property(tallyArb, (t) => {
        const tally: HouseholdTally = { householdId: "H", ...t, skippedLines: t.skippedRows ? [3, 9].slice(0, t.skippedRows) : [] };
        expect(screenHousehold(tally, params)).toEqual(screenHouseholdExact(tally, params));
      }),
      { numRuns: 3000 },
    );
  });

  it("takes boundary values exactly (P just below and at S)", () => {
    const params = compiledParametersFor("2026-06-01"); // S = 1000
    const base = { householdId: "H", members: 3, medicalFen: 0, mainLabour: 1, severeDisability: 0, anyReceiving: false, receivesDibao: false, receivesTekun: false, soleAge: 40, soleIncomeFen: 0, skippedRows: 0, skippedLines: [] };
    for (const incomeFen of [299_999, 300_000, 300_001]) {
      const t = { ...base, incomeFen };
      expect(screenHousehold(t, params)).toEqual(screenHouseholdExact(t, params));
    }
    expect(screenHousehold({ ...base, incomeFen: 299_999 }, params)?.flags).toEqual(["likely_dibao"]);
    expect(screenHousehold({ ...base, incomeFen: 300_000 }, params)).toBeNull();
  });
});
