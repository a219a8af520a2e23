/**
 * Outreach leads as the staff console works them (issue 6): the lists of
 * statuses, contact kinds and outcomes, dismissal reasons, the filters of the
 * ranked list, and the small pure helpers the pages share (the head of the
 * household among the recorded people, masking, the conversion funnel's
 * order). Pure TypeScript, safe in the browser bundle.
 */
import { maskIdNumber } from "~/domain/identity";
import { maskPhone } from "~/domain/callback/phone";
import { maskNoticeName } from "~/domain/case/masking";

export const LEAD_STATUSES = ["new", "contacted", "invited", "applied", "dismissed"] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** What a caseworker logs by hand; "sms_invitation" is logged by the invitation itself. */
export const CONTACT_KINDS = ["call", "visit", "note"] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
export const CONTACT_OUTCOMES = ["reached", "no_answer", "wrong_number", "declined", "left_message"] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

export const DISMISS_REASONS = ["already_helped", "not_in_need", "moved_away", "declined", "duplicate", "other"] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];

/** Longest note kept with a contact or a dismissal. */
export const LEAD_NOTE_MAX = 500;
export const LEADS_PER_PAGE = 50;
/** How long an invitation link works. */
export const INVITATION_DAYS = 14;
/** The longest invitation text: 3 SMS segments. */
export const INVITATION_MAX_SEGMENTS = 3;

/** Application statuses that count as "approved" in the conversion figures. */
export const APPROVED_STATUSES = ["approved", "public_notice", "active"] as const;

/** The funnel's steps, in order. */
export const FUNNEL_STEPS = ["leads", "contacted", "invited", "applied", "approved"] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];
export type Funnel = Record<FunnelStep, number>;

const oneOf =
  <T extends string>(list: readonly T[]) =>
  (value: unknown): value is T =>
    typeof value === "string" && (list as readonly string[]).includes(value);

export const isLeadStatus = oneOf(LEAD_STATUSES);
export const isContactKind = oneOf(CONTACT_KINDS);
export const isContactOutcome = oneOf(CONTACT_OUTCOMES);
export const isDismissReason = oneOf(DISMISS_REASONS);

/** A person as the departments recorded them (OutreachLead.people). */
export interface LeadPersonView {
  personId: string;
  name: string;
  idNumber: string;
  phone: string;
  mobile: string | null;
  relation: string;
}

/** The people of a lead from its stored JSON; anything unreadable is dropped, never guessed. */
export function readLeadPeople(text: string): LeadPersonView[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return raw
    .filter((p): p is Record<string, unknown> => typeof p === "object" && p !== null)
    .map((p) => ({
      personId: str(p.personId),
      name: str(p.name),
      idNumber: str(p.idNumber),
      phone: str(p.phone),
      mobile: typeof p.mobile === "string" && p.mobile !== "" ? p.mobile : null,
      relation: str(p.relation) || "other",
    }));
}

/** The person an invitation goes to: the one recorded as "self" (head of the household), else the first. */
export function headOfHousehold<P extends { relation: string }>(people: readonly P[]): P | null {
  return people.find((p) => p.relation === "self") ?? people[0] ?? null;
}

/**
 * A name masked as the public notice list masks it (rule book; the notice
 * list's own function, so staff and public see the same shape): 张三丰 → 张*丰,
 * 张三 → 张*, Latin names word by word.
 */
export function maskLeadName(name: string): string {
  return maskNoticeName(name);
}

/** A person with everything but the relation masked (the lead page before "show"). */
export function maskedPerson(p: LeadPersonView): LeadPersonView {
  return { ...p, name: maskLeadName(p.name), idNumber: maskIdNumber(p.idNumber), phone: p.phone ? maskPhone(p.phone) : "", mobile: p.mobile ? maskPhone(p.mobile) : null };
}

/** The flag codes stored as JSON on a lead. */
export function readFlags(text: string): string[] {
  try {
    const raw: unknown = JSON.parse(text);
    return Array.isArray(raw) ? raw.filter((f): f is string => typeof f === "string") : [];
  } catch {
    return [];
  }
}

/**
 * The answers an invitation's draft starts with: the household from the
 * records, the head of the household as the applicant (applying for
 * themselves), and the lead it began from. The district, the programmes and
 * the declaration are left for the resident, who checks every answer.
 */
export function invitationAnswers(lead: { id: string; household: string; people: string }): {
  forWhom: "self";
  applicant: { name: string; idNumber: string; phone: string };
  household?: unknown;
  outreachLeadId: string;
} {
  const head = headOfHousehold(readLeadPeople(lead.people));
  let household: unknown;
  try {
    household = JSON.parse(lead.household);
  } catch {
    household = undefined;
  }
  const usable = typeof household === "object" && household !== null && Array.isArray((household as { members?: unknown }).members);
  return {
    forWhom: "self",
    applicant: { name: head?.name ?? "", idNumber: head?.idNumber ?? "", phone: head?.mobile ?? "" },
    ...(usable ? { household } : {}),
    outreachLeadId: lead.id,
  };
}
