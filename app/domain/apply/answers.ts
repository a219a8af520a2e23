// What a person has told the application journey so far (kept as JSON in the
// ApplicationDraft row). Read defensively with zod: a hand-edited or older
// draft loses only the fields that no longer fit, never the whole draft.
import { z } from "zod";
import { PROXY_CONSENTS, PROXY_RELATIONSHIPS, type ProxyConsent, type ProxyRelationship } from "../case/proxy";

export const FOR_WHOM = ["self", "other"] as const;
export type ForWhom = (typeof FOR_WHOM)[number];

// The case record's lists (app/domain/case/proxy.ts), under the journey's names.
export const RELATIONSHIPS = PROXY_RELATIONSHIPS;
export type Relationship = ProxyRelationship;
export const CONSENT_METHODS = PROXY_CONSENTS;
export type ConsentMethod = ProxyConsent;

const person = z.object({ name: z.string().max(200), idNumber: z.string().max(40), phone: z.string().max(40) });
const helper = z.object({ name: z.string().max(200), phone: z.string().max(40) });

const schema = z.object({
  forWhom: z.enum(FOR_WHOM),
  relationship: z.enum(RELATIONSHIPS),
  consentMethod: z.enum(CONSENT_METHODS),
  applicant: person,
  helper,
  /** "May we call you if you do not finish?" (the column on the draft is the source of truth for the worker) */
  callMe: z.enum(["yes", "no"]),
  /** the code row sent to the applicant, and when they typed it back */
  consentCodeId: z.string().max(64),
  consentCodePhone: z.string().max(40),
  consentConfirmedAt: z.string().max(40),
  /** the household confirmed from the check (rules engine input, JSON) */
  household: z.unknown(),
  programs: z.array(z.string().max(40)).max(20),
  documentsDone: z.boolean(),
  /** one-time token in the declaration form: a resent form submits once */
  submissionToken: z.string().max(64),
  /** Demo City district code (app/domain/case/districts.ts): for the public notice list */
  district: z.string().max(40),
  /** set when the draft was opened from an outreach invitation: the lead it began from */
  outreachLeadId: z.string().max(64),
});

export type ApplyAnswers = Partial<{
  forWhom: ForWhom;
  relationship: Relationship;
  consentMethod: ConsentMethod;
  applicant: z.infer<typeof person>;
  helper: z.infer<typeof helper>;
  callMe: "yes" | "no";
  consentCodeId: string;
  consentCodePhone: string;
  consentConfirmedAt: string;
  household: unknown;
  programs: string[];
  documentsDone: boolean;
  submissionToken: string;
  district: string;
  outreachLeadId: string;
}>;

/** The answers from stored JSON; fields that do not fit are dropped one by one. */
export function readApplyAnswers(raw: unknown): ApplyAnswers {
  if (typeof raw !== "object" || raw === null) return {};
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const value = (raw as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const parsed = (field as z.ZodTypeAny).safeParse(value);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as ApplyAnswers;
}

export function isOnBehalf(answers: ApplyAnswers): boolean {
  return answers.forWhom === "other";
}
