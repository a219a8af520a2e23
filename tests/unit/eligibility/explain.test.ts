// Explanations rendered through a real i18next instance, in both languages.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import i18next from 'i18next';
import i18nConfig from '../../../app/i18n';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Household, HouseholdMember, ProgramResult, Translate } from '../../../app/domain/eligibility';
import {
  PROGRAM_CODES,
  amountText,
  assessHousehold,
  explainChange,
  explainReason,
  outcomeLabel,
  programDescription,
  programName,
} from '../../../app/domain/eligibility';

const LANGS = ['zh-CN', 'en'] as const;
const load = (lng: string) =>
  JSON.parse(readFileSync(path.resolve(process.cwd(), `public/locales/${lng}/rules.json`), 'utf8')) as Record<string, unknown>;
const resources = { 'zh-CN': load('zh-CN'), en: load('en') };

function leafKeys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
}
function leaf(obj: Record<string, unknown>, key: string): string {
  return key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj) as string;
}

const i18n = i18next.createInstance();
const t: Record<(typeof LANGS)[number], Translate> = {} as never;

beforeAll(async () => {
  await i18n.init({
    lng: 'zh-CN',
    fallbackLng: false,
    ns: ['rules'],
    defaultNS: 'rules',
    // as the app configures it (app/i18n.ts): React escapes, i18next must not
    interpolation: i18nConfig.interpolation,
    resources: { 'zh-CN': { rules: resources['zh-CN'] }, en: { rules: resources.en } },
  });
  for (const lng of LANGS) t[lng] = i18n.getFixedT(lng);
});

function adult(over: Partial<HouseholdMember> = {}): HouseholdMember {
  return { relation: 'self', age: 40, disability: 'none', canWork: true, employed: false, student: 'none', monthlyIncome: 0, ...over };
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

const examples: { household: Household; asOf: string }[] = JSON.parse(
  readFileSync(path.resolve(process.cwd(), '../shared/policy/examples.json'), 'utf8'),
);
/** Households that between them reach every reason and change code. */
const CASES: [Household, string][] = [
  ...examples.map((e) => [e.household, e.asOf] as [Household, string]),
  [household([adult({ age: 70, canWork: false }), adult({ age: 8, canWork: false, student: 'compulsory', disability: 'severe' })], { housing: { ownsHome: false }, emergency: { type: 'fire', lossAmount: 10 }, annualMedicalOutOfPocket: 70000, disasterAffected: true }), '2027-03-01'],
  [household([adult({ monthlyIncome: 1200 }), adult({ age: 19, student: 'higher_education' })], { annualMedicalOutOfPocket: 1000, housing: { ownsHome: true, perCapitaArea: 10 } }), '2026-06-01'],
  [household([adult({ monthlyIncome: 1600, employed: true })], { assets: { financial: 30000, vehicles: 1, properties: 3 }, annualMedicalOutOfPocket: 60000, emergency: { type: 'accident', lossAmount: 100 } }), '2026-06-01'],
  [household([adult({ monthlyIncome: 5000 }), adult({ monthlyIncome: undefined, age: 70, canWork: false })], { annualMedicalOutOfPocket: 1200, emergency: { type: 'illness', lossAmount: 100 } }), '2026-06-01'],
  [household([adult({ age: 70, canWork: false, monthlyIncome: 1500 }), adult({ age: 15 })], { supporters: { hasCapableSupporter: true } }), '2026-06-01'],
  [household([adult({ age: 70, canWork: false, monthlyIncome: 100 })], { supporters: {}, annualMedicalOutOfPocket: 500 }), '2026-06-01'],
  [household([adult({ monthlyIncome: 1200 })]), '2026-06-01'],
  [{ members: [{}, { age: 30 }] }, '2026-06-01'],
];
const results: ProgramResult[] = CASES.flatMap(([h, asOf]) => assessHousehold(h, asOf).results);

describe('rules.json', () => {
  it('has exactly the same keys in both languages', () => {
    expect(leafKeys(resources.en).sort()).toEqual(leafKeys(resources['zh-CN']).sort());
  });

  it('uses the same placeholders for a key in both languages, and no empty text', () => {
    for (const key of leafKeys(resources.en)) {
      const en = leaf(resources.en, key);
      const zh = leaf(resources['zh-CN'], key);
      expect(typeof en === 'string' && en.length > 0, key).toBe(true);
      expect(typeof zh === 'string' && zh.length > 0, key).toBe(true);
      expect(placeholders(zh), key).toEqual(placeholders(en));
    }
  });

  it('writes the Chinese file in Chinese', () => {
    for (const key of leafKeys(resources['zh-CN'])) {
      const zh = leaf(resources['zh-CN'], key);
      if (key === 'value.list_separator') continue;
      expect(/[\u4e00-\u9fff]/.test(zh), `${key}: ${zh}`).toBe(true);
    }
  });

  it('the test households reach every reason and change in the file (so every text is rendered below)', () => {
    const produced = new Set(results.flatMap((r) => [...r.reasons.map((x) => `reason.${x.code}`), ...r.changes.map((x) => `change.${x.code}`)]));
    const inFile = new Set(
      leafKeys(resources.en)
        .filter((k) => k.startsWith('reason.') || k.startsWith('change.'))
        .map((k) => (k.startsWith('reason.') ? k.replace(/\.(passed|failed)$/, '') : k)),
    );
    expect([...inFile].filter((k) => !produced.has(k))).toEqual([]);
  });

  it('has passed and failed texts for every reason the engine produced, and a text for every change', () => {
    const keys = new Set(leafKeys(resources.en));
    for (const r of results) {
      for (const reason of r.reasons) {
        expect(keys.has(`reason.${reason.code}.passed`), reason.code).toBe(true);
        expect(keys.has(`reason.${reason.code}.failed`), reason.code).toBe(true);
      }
      for (const change of r.changes) expect(keys.has(`change.${change.code}`), change.code).toBe(true);
    }
  });
});

describe.each(LANGS)('explanations in %s', (lng) => {
  const rawKey = /rules:|reason\.|change\.|program\.|value\.|field\.|\{\{|undefined|\[object/;

  it('renders every reason and change as a plain sentence with its figures', () => {
    let count = 0;
    for (const r of results) {
      for (const reason of r.reasons) {
        const text = explainReason(t[lng], reason);
        expect(text, `${reason.code}: ${text}`).not.toMatch(rawKey);
        for (const v of Object.values(reason.values)) {
          if (typeof v === 'string' && /^\d+\.\d\d$/.test(v)) expect(text, reason.code).toContain(v);
        }
        count++;
      }
      for (const change of r.changes) {
        const text = explainChange(t[lng], change);
        expect(text, `${change.code}: ${text}`).not.toMatch(rawKey);
        for (const v of Object.values(change.values)) {
          if (typeof v === 'string' && /^\d+\.\d\d$/.test(v)) expect(text, change.code).toContain(v);
        }
        count++;
      }
    }
    expect(count).toBeGreaterThan(150);
  });

  it('names and describes every programme and outcome', () => {
    for (const p of PROGRAM_CODES) {
      expect(programName(t[lng], p)).not.toMatch(rawKey);
      expect(programDescription(t[lng], p)).not.toMatch(rawKey);
    }
    for (const o of ['eligible', 'not_eligible', 'needs_review'] as const) expect(outcomeLabel(t[lng], o)).not.toMatch(rawKey);
    expect(amountText(t[lng], { value: 1200, period: 'month' })).toContain('1200');
  });
});

describe('explanation texts', () => {
  const dibao = assessHousehold(examples[1].household, examples[1].asOf).results[1];
  const income = dibao.reasons.find((r) => r.code === 'dibao.income_below_standard')!;
  const amountReason = dibao.reasons.find((r) => r.code === 'dibao.amount')!;

  it('shows P against S in plain words', () => {
    expect(explainReason(t.en, income)).toBe(
      'Income per person: (household income 1600.00 yuan − medical and school costs 500.00 yuan) ÷ 2 (people in the household) = 550.00 yuan a month. This is less than the minimum living standard of 1000.00 yuan.',
    );
    expect(explainReason(t['zh-CN'], income)).toBe(
      '人均月收入：（家庭月收入 1600.00 元 − 每月看病和上学支出 500.00 元）÷ 2 人 = 550.00 元，低于最低生活标准 1000.00 元。',
    );
    expect(explainReason(t['zh-CN'], { ...income, passed: false })).toContain('不低于');
  });

  it('shows the amount computation', () => {
    expect(explainReason(t.en, amountReason)).toBe(
      'Amount: (1000.00 yuan − 550.00 yuan) × 2 (people in the household) = 900.00 yuan, so 900 yuan a month.',
    );
    expect(explainReason(t['zh-CN'], amountReason)).toBe('金额：（1000.00 元 − 550.00 元）× 2 人 = 900.00 元，即每月 900 元。');
  });

  it('turns programme codes, field paths and enumerations into words', () => {
    const covered = { code: 'low_income.not_covered', passed: false, values: { program: 'dibao' } };
    expect(explainReason(t['zh-CN'], covered)).toContain('最低生活保障');
    expect(explainReason(t.en, covered)).toBe('The household qualifies for the minimum living allowance, which gives more help, so it is not also recognised as low-income.');
    const missing = { code: 'dibao.missing_information', passed: false, values: { fields: 'members[0].monthlyIncome,assets.financial' } };
    expect(explainReason(t['zh-CN'], missing)).toBe('现在还不能确定，还需要这些信息：第1位家庭成员：每月收入；存款和现金。');
    expect(explainReason(t.en, missing)).toBe('We cannot decide yet. We still need these answers: person 1: income each month; savings and cash.');
    const grant = { code: 'education.student_grant', passed: true, values: { person: 2, level: 'high_school', grant: '2000.00' } };
    expect(explainReason(t['zh-CN'], grant)).toBe('第2位家庭成员在读高中阶段：每年 2000.00 元。');
    const group = { code: 'tekun.member_group', passed: true, values: { person: 1, age: null, disability: 'severe' } };
    expect(explainReason(t.en, group)).toBe('Person 1 (age: unknown, severe disability) is under 16, 60 or older, or severely disabled.',
    );
    expect(explainReason(t['zh-CN'], { ...group, values: { person: 1, age: 72, disability: null } })).toBe(
      '第1位家庭成员（年龄：72，残疾情况不清楚）未满16岁、已满60岁或重度残疾。');
  });

  it('does not HTML-escape values with the app\'s i18next settings (the UI escapes)', () => {
    const change = { code: 'dibao.income_threshold', values: { householdIncomeBelow: '2100.00', current: '<2700.00>' } };
    expect(explainChange(t.en, change)).toContain('<2700.00>');
  });
});
