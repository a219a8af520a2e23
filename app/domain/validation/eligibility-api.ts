/**
 * The wire format of POST /api/v1/eligibility (shared/contract.md): the request
 * schema, the default assessment date and the response body. Shared by the
 * route and the bench's bare server, so both do exactly the same work.
 */
import { z } from "zod";
import {
  RULE_VERSIONS,
  explainChange,
  explainReason,
  isValidIsoDate,
  type Amount,
  type Assessment,
  type Outcome,
  type ProgramCode,
  type ReasonValue,
  type Translate,
} from "~/domain/eligibility";
import { householdSchema } from "./household-schema";

/** The first day any version of the rules is in force. */
export const EARLIEST_RULES_DATE: string = RULE_VERSIONS.map((v) => v.effectiveFrom).sort()[0];

const asOfSchema = z.string().superRefine((asOf, ctx) => {
  if (!isValidIsoDate(asOf)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, params: { key: "invalidDate" } });
  } else if (asOf < EARLIEST_RULES_DATE) {
    // ISO dates compare correctly as strings
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      params: { key: "noRulesInForce", values: { asOf, earliest: EARLIEST_RULES_DATE } },
    });
  }
});

export const eligibilityRequestSchema = z
  .object({
    asOf: asOfSchema.optional(),
    household: householdSchema,
  })
  .strict();

export type EligibilityRequest = z.infer<typeof eligibilityRequestSchema>;

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Today's date in Asia/Shanghai (UTC+8 all year, no daylight saving), YYYY-MM-DD. */
export function todayInShanghai(now: Date): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export interface EligibilityResponse {
  asOf: string;
  rulesVersion: string;
  results: Array<{
    program: ProgramCode;
    outcome: Outcome;
    amount: Amount | null;
    reasons: Array<{ code: string; passed: boolean; values: Record<string, ReasonValue>; message: string }>;
    /** Additive to the contract: what would change the answer, in words. */
    changes: Array<{ code: string; values: Record<string, ReasonValue>; message: string }>;
    /** Additive to the contract: household fields still needed, e.g. "members[0].monthlyIncome". */
    missing: string[];
  }>;
}

/** The response body: the assessment with every reason and change explained in t's language. */
export function eligibilityResponse(assessment: Assessment, t: Translate): EligibilityResponse {
  return {
    asOf: assessment.asOf,
    rulesVersion: assessment.rulesVersion,
    results: assessment.results.map((result) => ({
      program: result.program,
      outcome: result.outcome,
      amount: result.amount ? { value: result.amount.value, period: result.amount.period } : null,
      reasons: result.reasons.map((reason) => ({
        code: reason.code,
        passed: reason.passed,
        values: reason.values,
        message: explainReason(t, reason),
      })),
      changes: result.changes.map((change) => ({
        code: change.code,
        values: change.values,
        message: explainChange(t, change),
      })),
      missing: result.missing,
    })),
  };
}
