// Missing answers: three-valued logic. A programme is needs_review (with the
// missing field paths) when it cannot be decided, and not_eligible as soon as
// it surely fails whatever the missing answers are.
import { describe, expect, it } from 'vitest';
import type { Household, HouseholdMember, ProgramCode, ProgramResult } from '../../../app/domain/eligibility';
import { InvalidHouseholdError, assessHousehold } from '../../../app/domain/eligibility';

const AS_OF = '2026-06-01';

function adult(over: Partial<HouseholdMember> = {}): HouseholdMember {
  return { relation: 'self', age: 40, disability: 'none', canWork: true, employed: false, student: 'none', monthlyIncome: 0, ...over };
}
function elder(over: Partial<HouseholdMember> = {}): HouseholdMember {
  return adult({ age: 70, canWork: false, ...over });
}
function household(members: HouseholdMember[], over: Partial<Household> = {}): Household {
  return {
    members,
    supporters: { hasCapableSupporter: false },
    assets: { financial: 0, vehicles: 0, properties: 1 },
    annualMedicalOutOfPocket: 0,
    annualEducationCost: 0,
    housing: { ownsHome: true, perCapitaArea: 30 },
    emergency: { type: 'none', lossAmount: 0 },
    disasterAffected: false,
    ...over,
  };
}
function assess(h: Household): Record<ProgramCode, ProgramResult> {
  return Object.fromEntries(assessHousehold(h, AS_OF).results.map((r) => [r.program, r])) as Record<ProgramCode, ProgramResult>;
}
const outcomes = (h: Household) => Object.fromEntries(assessHousehold(h, AS_OF).results.map((r) => [r.program, r.outcome]));

describe('missing information', () => {
  it('a member with no answers at all: nothing throws and nothing is refused for lack of data', () => {
    const r = assess({ members: [{}] });
    expect(outcomes({ members: [{}] })).toEqual({
      tekun: 'needs_review',
      dibao: 'needs_review',
      low_income: 'needs_review',
      medical: 'needs_review',
      education: 'needs_review',
      housing: 'needs_review',
      employment: 'needs_review',
      temporary: 'needs_review',
      disaster: 'needs_review',
    });
    expect(r.tekun.missing).toEqual([
      'members[0].age',
      'members[0].disability',
      'members[0].canWork',
      'members[0].monthlyIncome',
      'supporters.hasCapableSupporter',
    ]);
    expect(r.disaster.missing).toEqual(['disasterAffected']);
    expect(r.temporary.missing[0]).toBe('emergency.type');
  });

  it('every needs_review for missing data carries a missing_information reason and a provide_information change', () => {
    for (const result of Object.values(assess({ members: [{}, { age: 70 }] }))) {
      expect(result.outcome).toBe('needs_review');
      expect(result.missing.length).toBeGreaterThan(0);
      expect(new Set(result.missing).size).toBe(result.missing.length);
      expect(result.reasons).toContainEqual({
        code: `${result.program}.missing_information`,
        passed: false,
        values: { fields: result.missing.join(',') },
      });
      expect(result.changes).toEqual([{ code: `${result.program}.provide_information`, values: { fields: result.missing.join(',') } }]);
      expect(result.amount).toBeNull();
    }
  });

  it('rejects a household without members with a typed error', () => {
    expect(() => assessHousehold({ members: [] }, AS_OF)).toThrow(InvalidHouseholdError);
  });
});

describe('tekun', () => {
  it('is not_eligible as soon as one member surely fails, whatever else is missing', () => {
    const r = assess({ members: [adult({ monthlyIncome: undefined }), {}] });
    expect(r.tekun.outcome).toBe('not_eligible');
    expect(r.tekun.missing).toEqual([]);
  });

  it('needs only the supporter answer when every member passes', () => {
    const r = assess(household([elder(), elder({ age: 9 })], { supporters: {} }));
    expect(r.tekun.outcome).toBe('needs_review');
    expect(r.tekun.missing).toEqual(['supporters.hasCapableSupporter']);
  });

  it('a severe disability decides the group test without the age; can-work needs the age only if canWork is true', () => {
    expect(assess(household([elder({ age: undefined, disability: 'severe' })])).tekun.outcome).toBe('eligible');
    const r = assess(household([elder({ age: undefined, disability: 'severe', canWork: true })]));
    expect(r.tekun.outcome).toBe('needs_review');
    expect(r.tekun.missing).toEqual(['members[0].age']);
  });
});

describe('programmes that depend on tekun and "supported"', () => {
  const unknownSupporter = (over: Partial<Household> = {}) =>
    household([elder({ monthlyIncome: 500 }), elder({ monthlyIncome: 300 })], { supporters: {}, ...over });

  it('tekun undecided, dibao’s own condition holds: dibao needs_review for the tekun answer', () => {
    const r = assess(unknownSupporter());
    expect(r.dibao.outcome).toBe('needs_review');
    expect(r.dibao.missing).toEqual(['supporters.hasCapableSupporter']);
    // dibao's own checks are still shown with their figures
    expect(r.dibao.reasons.find((x) => x.code === 'dibao.income_below_standard')).toMatchObject({ passed: true, values: { perPersonIncome: '400.00' } });
  });

  it('tekun undecided but dibao’s own condition fails: dibao not_eligible', () => {
    const r = assess(unknownSupporter({ assets: { financial: 0, vehicles: 1, properties: 1 } }));
    expect(r.tekun.outcome).toBe('needs_review');
    expect(r.dibao.outcome).toBe('not_eligible');
    expect(r.low_income.outcome).toBe('not_eligible');
  });

  it('tekun-or-dibao is certain even if not which: low_income not_eligible, housing and education eligible, medical rate unknown', () => {
    const r = assess(
      unknownSupporter({
        members: [elder({ monthlyIncome: 500 }), elder({ age: 12, monthlyIncome: 0, student: 'compulsory' })],
        annualMedicalOutOfPocket: 6000,
        housing: { ownsHome: false },
      }),
    );
    expect(r.low_income.outcome).toBe('not_eligible');
    expect(r.low_income.reasons[0]).toEqual({ code: 'low_income.not_covered', passed: false, values: { program: null } });
    expect(r.education).toMatchObject({ outcome: 'eligible', amount: { value: 1000, period: 'year' } });
    expect(r.housing.outcome).toBe('eligible');
    expect(r.medical.outcome).toBe('needs_review'); // rate 1.0 (tekun) or 0.7 (dibao)
    expect(r.medical.missing).toEqual(['supporters.hasCapableSupporter']);
    expect(r.employment.outcome).toBe('not_eligible'); // nobody can work, whatever dibao turns out to be
  });

  it('fails for a known reason regardless of "supported"', () => {
    const h = household([adult({ monthlyIncome: undefined })], {
      annualMedicalOutOfPocket: 0,
      emergency: { type: 'none' },
      members: [adult({ monthlyIncome: undefined, student: 'none' })],
    });
    const r = assess(h);
    expect(r.dibao.outcome).toBe('needs_review');
    expect(r.medical.outcome).toBe('not_eligible'); // annualMedicalOutOfPocket = 0
    expect(r.education.outcome).toBe('not_eligible'); // no student
    expect(r.temporary.outcome).toBe('not_eligible'); // emergency none
    expect(r.housing.outcome).toBe('not_eligible'); // owns 30 m² per person
  });

  it('depends on "supported" when it could hold', () => {
    const r = assess(household([adult({ monthlyIncome: undefined }), adult({ age: 10, canWork: false, student: 'compulsory' })], {
      annualMedicalOutOfPocket: 3000,
    }));
    expect(r.medical.outcome).toBe('needs_review');
    expect(r.medical.missing).toEqual(['members[0].monthlyIncome']);
    expect(r.education.outcome).toBe('needs_review');
    expect(r.education.missing).toEqual(['members[0].monthlyIncome']);
  });
});

describe('income and assets', () => {
  it('a missing income makes dibao needs_review naming that field', () => {
    const r = assess(household([adult({ monthlyIncome: 300 }), adult({ monthlyIncome: undefined })]));
    expect(r.dibao.outcome).toBe('needs_review');
    expect(r.dibao.missing).toEqual(['members[1].monthlyIncome']);
    expect(r.dibao.reasons).toContainEqual({ code: 'dibao.missing_information', passed: false, values: { fields: 'members[1].monthlyIncome' } });
  });

  it('known incomes already too high: not_eligible despite a missing income', () => {
    const r = assess(household([adult({ monthlyIncome: 5000 }), adult({ monthlyIncome: undefined })], { annualMedicalOutOfPocket: 1200 }));
    expect(r.dibao.outcome).toBe('not_eligible');
    expect(r.low_income.outcome).toBe('not_eligible');
    expect(r.dibao.reasons.find((x) => x.code === 'dibao.known_income_below_standard')).toEqual({
      code: 'dibao.known_income_below_standard',
      passed: false,
      values: { knownIncome: '5000.00', rigidSpending: '100.00', members: 2, perPersonIncomeAtLeast: '2450.00', standard: '1000.00' },
    });
    expect(r.dibao.changes).toContainEqual({ code: 'dibao.known_income_threshold', values: { householdIncomeBelow: '2100.00', knownIncome: '5000.00' } });
  });

  it('known incomes too high but rigid spending unknown: still needs_review (R could be large)', () => {
    const r = assess(household([adult({ monthlyIncome: 5000 })], { annualEducationCost: undefined }));
    expect(r.dibao.outcome).toBe('needs_review');
    expect(r.dibao.missing).toEqual(['annualEducationCost']);
  });

  it('missing savings: needs_review, unless another asset rule surely fails', () => {
    expect(assess(household([adult()], { assets: { vehicles: 0, properties: 1 } })).dibao.missing).toEqual(['assets.financial']);
    expect(assess(household([adult()], { assets: { vehicles: 1 } })).dibao.outcome).toBe('not_eligible');
    expect(assess(household([adult()], { assets: undefined })).dibao.missing).toEqual([
      'assets.financial',
      'assets.vehicles',
      'assets.properties',
    ]);
  });
});

describe('medical, education, housing, temporary', () => {
  it('medical needs the out-of-pocket amount', () => {
    const r = assess(household([adult()], { annualMedicalOutOfPocket: undefined }));
    expect(r.medical.outcome).toBe('needs_review');
    expect(r.medical.missing).toContain('annualMedicalOutOfPocket');
  });

  it('education: surely eligible but a student answer missing → needs_review (amount unknown)', () => {
    const r = assess(household([adult(), adult({ age: 9, student: 'compulsory' }), adult({ age: 17, student: undefined })]));
    expect(r.education.outcome).toBe('needs_review');
    expect(r.education.missing).toEqual(['members[2].student']);
  });

  it.each<[Household['housing'], string, string[]]>([
    [{ ownsHome: false }, 'eligible', []],
    [{ perCapitaArea: 10 }, 'eligible', []],
    [{ perCapitaArea: 20 }, 'needs_review', ['housing.ownsHome']],
    [{ ownsHome: true }, 'needs_review', ['housing.perCapitaArea']],
    [{}, 'needs_review', ['housing.ownsHome', 'housing.perCapitaArea']],
  ])('housing %j → %s', (housing, outcome, missing) => {
    const r = assess(household([adult()], { housing }));
    expect(r.housing.outcome).toBe(outcome);
    expect(r.housing.missing).toEqual(missing);
  });

  it('temporary: missing loss with a real emergency and no support → needs_review for the loss', () => {
    const r = assess(household([adult({ monthlyIncome: 9000 })], { emergency: { type: 'fire' } }));
    expect(r.temporary.outcome).toBe('needs_review');
    expect(r.temporary.missing).toEqual(['emergency.lossAmount']);
  });

  it('temporary: loss below 6 × the incomes already known → caseworker review, nothing to ask', () => {
    const r = assess(household([adult({ monthlyIncome: 9000 }), adult({ monthlyIncome: undefined })], { emergency: { type: 'fire', lossAmount: 50000 } }));
    expect(r.temporary.outcome).toBe('needs_review');
    expect(r.temporary.missing).toEqual([]);
    expect(r.temporary.reasons).toContainEqual({
      code: 'temporary.known_loss_at_least_six_months',
      passed: false,
      values: { lossAmount: '50000.00', knownIncome: '9000.00', sixMonthsIncome: '54000.00' },
    });
  });

  it('temporary: missing emergency type → needs_review even if the rest is decided', () => {
    const r = assess(household([adult()], { emergency: { lossAmount: 100 } }));
    expect(r.temporary.outcome).toBe('needs_review');
    expect(r.temporary.missing).toEqual(['emergency.type']);
  });
});
