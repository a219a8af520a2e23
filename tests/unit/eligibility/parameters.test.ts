import { describe, expect, it } from 'vitest';
import {
  EligibilityError,
  InvalidAsOfDateError,
  NoRulesInForceError,
  RULE_VERSIONS,
  assessHousehold,
  parametersFor,
} from '../../../app/domain/eligibility';
import type { Household } from '../../../app/domain/eligibility';

describe('parameter table', () => {
  it('holds both versions of the rule book, oldest first', () => {
    expect(RULE_VERSIONS.map((v) => [v.id, v.effectiveFrom])).toEqual([
      ['demo-city@2026-01-01', '2026-01-01'],
      ['demo-city@2027-01-01', '2027-01-01'],
    ]);
    const [v2026, v2027] = RULE_VERSIONS;
    expect(v2026.parameters).toEqual({
      S: 1000,
      lowIncomeFactor: 1.5,
      assetMonths: 24,
      tekunFactor: 1.3,
      catastrophicMedical: 50000,
      medicalRate: { tekun: 1.0, dibao: 0.7, low_income: 0.5 },
      medicalCap: 60000,
      educationGrant: { compulsory: 1000, high_school: 2000, higher_education: 5000 },
      housingArea: 15,
      temporaryCap: 20000,
    });
    expect(v2027.parameters).toEqual({ ...v2026.parameters, S: 1080 });
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(RULE_VERSIONS)).toBe(true);
    expect(Object.isFrozen(RULE_VERSIONS[0].parameters.medicalRate)).toBe(true);
  });

  it.each([
    ['2026-01-01', 'demo-city@2026-01-01'],
    ['2026-12-31', 'demo-city@2026-01-01'],
    ['2027-01-01', 'demo-city@2027-01-01'],
    ['2031-07-15', 'demo-city@2027-01-01'],
  ])('parametersFor(%s) → %s', (asOf, id) => {
    expect(parametersFor(asOf).id).toBe(id);
  });

  it('throws a typed error before the first version', () => {
    expect(() => parametersFor('2025-12-31')).toThrow(NoRulesInForceError);
    try {
      parametersFor('2025-12-31');
    } catch (e) {
      expect(e).toBeInstanceOf(EligibilityError);
      expect((e as NoRulesInForceError).earliest).toBe('2026-01-01');
    }
  });

  it.each(['2026-02-30', '2026-13-01', '26-01-01', '2026-1-1', '', '2026-06-01T00:00:00Z'])(
    'rejects the date %j',
    (asOf) => {
      expect(() => parametersFor(asOf)).toThrow(InvalidAsOfDateError);
    },
  );

  it('accepts 29 February in a leap year only', () => {
    expect(parametersFor('2028-02-29').id).toBe('demo-city@2027-01-01');
    expect(() => parametersFor('2027-02-29')).toThrow(InvalidAsOfDateError);
  });
});

describe('switch date 2026-12-31 → 2027-01-01', () => {
  const oneWorker = (monthlyIncome: number): Household => ({
    members: [{ age: 40, disability: 'none', canWork: true, employed: true, student: 'none', monthlyIncome }],
    supporters: { hasCapableSupporter: false },
    assets: { financial: 0, vehicles: 0, properties: 1 },
    annualMedicalOutOfPocket: 0,
    annualEducationCost: 0,
    housing: { ownsHome: true, perCapitaArea: 30 },
    emergency: { type: 'none', lossAmount: 0 },
    disasterAffected: false,
  });
  const dibao = (income: number, asOf: string) => assessHousehold(oneWorker(income), asOf).results[1];

  it('names the version used', () => {
    expect(assessHousehold(oneWorker(0), '2026-12-31').rulesVersion).toBe('demo-city@2026-01-01');
    expect(assessHousehold(oneWorker(0), '2027-01-01').rulesVersion).toBe('demo-city@2027-01-01');
  });

  it.each([
    [1050, '2026-12-31', 'not_eligible', null],
    [1050, '2027-01-01', 'eligible', 30],
    [1079.99, '2027-01-01', 'eligible', 0],
    [1080, '2027-01-01', 'not_eligible', null],
    [0, '2026-12-31', 'eligible', 1000],
    [0, '2027-01-01', 'eligible', 1080],
  ])('income %s on %s → %s %s', (income, asOf, outcome, value) => {
    const r = dibao(income, asOf);
    expect(r.outcome).toBe(outcome);
    expect(r.amount?.value ?? null).toBe(value);
    if (r.amount) expect(r.reasons.find((x) => x.code === 'dibao.income_below_standard')?.values.standard).toBe(asOf.startsWith('2027') ? '1080.00' : '1000.00');
  });

  it('throws for a date before the rules', () => {
    expect(() => assessHousehold(oneWorker(0), '2025-06-01')).toThrow(NoRulesInForceError);
  });
});
