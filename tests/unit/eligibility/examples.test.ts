// The worked examples shipped with the rule book (/work/shared/policy/examples.json).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Amount, Household, Outcome, ProgramCode } from '../../../app/domain/eligibility';
import { PROGRAM_CODES, assessHousehold } from '../../../app/domain/eligibility';

interface Example {
  name: string;
  asOf: string;
  household: Household;
  expected: { rulesVersion: string; results: Record<ProgramCode, [Outcome, Amount | null]> };
}

const examples: Example[] = JSON.parse(
  readFileSync(path.resolve(process.cwd(), '../shared/policy/examples.json'), 'utf8'),
);

describe('examples.json', () => {
  it('has examples covering every programme', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const e of examples) expect(Object.keys(e.expected.results).sort()).toEqual([...PROGRAM_CODES].sort());
  });

  describe.each(examples.map((e) => [e.name, e] as const))('%s', (_name, example) => {
    const assessment = assessHousehold(example.household, example.asOf);

    it('uses the expected rules version', () => {
      expect(assessment.rulesVersion).toBe(example.expected.rulesVersion);
      expect(assessment.asOf).toBe(example.asOf);
    });

    it.each([...PROGRAM_CODES])('%s', (program) => {
      const result = assessment.results.find((r) => r.program === program);
      const [outcome, amount] = example.expected.results[program];
      expect([result?.outcome, result?.amount]).toEqual([outcome, amount]);
      expect(result?.missing).toEqual([]);
    });
  });
});
