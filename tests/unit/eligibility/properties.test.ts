// Properties over generated households (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Household, HouseholdMember, ProgramCode, ProgramResult } from '../../../app/domain/eligibility';
import { DISABILITIES, EMERGENCY_TYPES, PROGRAM_CODES, STUDENT_KINDS, assessHousehold } from '../../../app/domain/eligibility';

const AS_OF = '2026-06-01';
const S_FEN = 100_000n;

/** Money in fen, biased towards the thresholds of the rule book. */
const fen = fc.oneof(
  fc.integer({ min: 0, max: 400_000 }),
  fc.constantFrom(0, 99_999, 100_000, 100_001, 149_999, 150_000, 150_001, 5_000_000, 5_000_001),
);
const money = fen.map((f) => f / 100);
const age = fc.oneof(fc.integer({ min: 0, max: 130 }), fc.constantFrom(15, 16, 17, 18, 59, 60));

const completeMember: fc.Arbitrary<HouseholdMember> = fc.record({
  age,
  disability: fc.constantFrom(...DISABILITIES),
  canWork: fc.boolean(),
  employed: fc.boolean(),
  student: fc.constantFrom(...STUDENT_KINDS),
  monthlyIncome: money,
});

const completeHousehold: fc.Arbitrary<Household> = fc.record({
  members: fc.array(completeMember, { minLength: 1, maxLength: 6 }),
  supporters: fc.record({ hasCapableSupporter: fc.boolean() }),
  assets: fc.record({
    financial: fc.oneof(money, fc.constantFrom(24000, 24000.01, 48000, 1e21)),
    vehicles: fc.constantFrom(0, 0, 1, 2),
    properties: fc.constantFrom(0, 1, 1, 2),
  }),
  annualMedicalOutOfPocket: fc.oneof(money, fc.constantFrom(0, 45, 50000, 50000.01, 60000, 100000)),
  annualEducationCost: fc.oneof(fc.constant(0), money),
  housing: fc.record({ ownsHome: fc.boolean(), perCapitaArea: fc.constantFrom(0, 10, 14.99, 15, 15.01, 40) }),
  emergency: fc.record({ type: fc.constantFrom(...EMERGENCY_TYPES), lossAmount: money }),
  disasterAffected: fc.boolean(),
});

/** Any schema-valid household: every field optional, any finite numbers. */
const anyNumber = fc.oneof(money, fc.double({ min: 0, max: 1e8, noNaN: true }), fc.double({ min: 0, max: 1e300, noNaN: true }));
const anyHousehold: fc.Arbitrary<Household> = fc.record(
  {
    members: fc.array(
      fc.record(
        {
          age: fc.integer({ min: 0, max: 130 }),
          disability: fc.constantFrom(...DISABILITIES),
          canWork: fc.boolean(),
          employed: fc.boolean(),
          student: fc.constantFrom(...STUDENT_KINDS),
          monthlyIncome: fc.oneof(money, fc.double({ min: 0, max: 1e8, noNaN: true })),
        },
        { requiredKeys: [] },
      ),
      { minLength: 1, maxLength: 30 },
    ),
    supporters: fc.record({ hasCapableSupporter: fc.boolean() }, { requiredKeys: [] }),
    assets: fc.record({ financial: anyNumber, vehicles: fc.nat(5), properties: fc.nat(5) }, { requiredKeys: [] }),
    annualMedicalOutOfPocket: anyNumber,
    annualEducationCost: anyNumber,
    housing: fc.record({ ownsHome: fc.boolean(), perCapitaArea: anyNumber }, { requiredKeys: [] }),
    emergency: fc.record({ type: fc.constantFrom(...EMERGENCY_TYPES), lossAmount: anyNumber }, { requiredKeys: [] }),
    disasterAffected: fc.boolean(),
  },
  { requiredKeys: ['members'] },
);

/** Removes a random selection of fields (a resident who does not know some answers). */
function withoutFields(h: Household, drop: boolean[]): Household {
  let i = 0;
  const keep = () => !drop[i++ % drop.length];
  const pick = <T extends object>(o: T | undefined): T | undefined => {
    if (!o || !keep()) return undefined;
    return Object.fromEntries(Object.entries(o).filter(() => keep())) as T;
  };
  const out: Household = { members: h.members.map((m) => pick(m) ?? {}) };
  for (const key of ['supporters', 'assets', 'housing', 'emergency'] as const) {
    const v = pick(h[key] as object | undefined);
    if (v) (out as unknown as Record<string, unknown>)[key] = v;
  }
  for (const key of ['annualMedicalOutOfPocket', 'annualEducationCost', 'disasterAffected'] as const) {
    if (keep()) (out as unknown as Record<string, unknown>)[key] = h[key];
  }
  return out;
}

const byProgram = (h: Household) =>
  Object.fromEntries(assessHousehold(h, AS_OF).results.map((r) => [r.program, r])) as Record<ProgramCode, ProgramResult>;

const toFen = (x: number | undefined) => BigInt(Math.round((x ?? 0) * 100));

describe('properties', () => {
  it('never throws on schema-valid input and always returns a well-formed result', () => {
    fc.assert(
      fc.property(anyHousehold, (h) => {
        const a = assessHousehold(h, AS_OF);
        expect(a.results.map((r) => r.program)).toEqual([...PROGRAM_CODES]);
        for (const r of a.results) {
          if (r.amount) {
            expect(r.outcome).toBe('eligible');
            expect(Number.isSafeInteger(r.amount.value) && r.amount.value >= 0).toBe(true);
          }
          if (r.outcome !== 'needs_review') expect(r.missing).toEqual([]);
          if (r.missing.length) expect(r.reasons.some((x) => x.code === `${r.program}.missing_information`)).toBe(true);
          expect(r.reasons.length + r.changes.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('dibao: eligible ⇔ tekun not eligible ∧ P < S ∧ assets pass, and amount = (S − P) × N rounded half up', () => {
    fc.assert(
      fc.property(completeHousehold, (h) => {
        const r = byProgram(h);
        const n = BigInt(h.members.length);
        const hFen = h.members.reduce((s, m) => s + toFen(m.monthlyIncome), 0n);
        const mFen = toFen(h.annualMedicalOutOfPocket) + toFen(h.annualEducationCost);
        // 12 × max(0, H − R) × 100, an integer
        const x12 = hFen * 12n - mFen > 0n ? hFen * 12n - mFen : 0n;
        const incomeOk = x12 < 12n * S_FEN * n;
        const assetsOk =
          toFen(h.assets?.financial) <= 24n * S_FEN * n && h.assets?.vehicles === 0 && (h.assets?.properties ?? 0) <= 1;
        const expected = r.tekun.outcome !== 'eligible' && incomeOk && assetsOk;
        expect(r.dibao.outcome).toBe(expected ? 'eligible' : 'not_eligible');
        if (expected) {
          const total12 = 12n * S_FEN * n - x12; // (S − P) × N in fen/12
          const yuan = (2n * total12 + 1200n) / 2400n; // half up of total12 / 1200
          expect(r.dibao.amount).toEqual({ value: Number(yuan), period: 'month' });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('missing answers never produce a decision that the full answers contradict', () => {
    fc.assert(
      fc.property(completeHousehold, fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), (h, drop) => {
        const full = byProgram(h);
        const partial = byProgram(withoutFields(h, drop));
        for (const p of PROGRAM_CODES) {
          expect(full[p].outcome === 'needs_review' ? full[p].missing : [], p).toEqual([]);
          if (partial[p].outcome !== 'needs_review') {
            expect([p, partial[p].outcome, partial[p].amount]).toEqual([p, full[p].outcome, full[p].amount]);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
