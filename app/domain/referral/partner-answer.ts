// What a partner may answer to a referral, and the checks of their forms.
// Pure: returns error codes per field; the route turns them into translated
// messages (locale namespace "partner", errors.<field>.<code>).

export const REFERRAL_STATUSES = ["sent", "accepted", "delivered", "declined"] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Plain reasons a partner gives for saying no; "other" needs a note. */
export const DECLINE_REASONS = ["no_capacity", "outside_area", "not_offered", "cannot_reach", "other"] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export const NOTE_MAX = 500;

export type PartnerAnswerKind = "accept" | "decline" | "deliver";

/** Which answers a referral in this state takes: new → accept or decline; accepted → delivered or decline. */
export function allowedAnswers(status: string): PartnerAnswerKind[] {
  if (status === "sent") return ["accept", "decline"];
  if (status === "accepted") return ["deliver", "decline"];
  return [];
}

export interface DeclineAnswer {
  reason: DeclineReason;
  note: string | null;
}

type Checked<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

export function checkDecline(input: { reason: unknown; note: unknown }): Checked<DeclineAnswer> {
  const reason = (DECLINE_REASONS as readonly string[]).includes(input.reason as string) ? (input.reason as DeclineReason) : null;
  const note = text(input.note);
  const errors: Record<string, string> = {};
  if (!reason) errors.reason = "missing";
  else if (reason === "other" && note === "") errors.note = "missing";
  if ([...note].length > NOTE_MAX) errors.note = "tooLong";
  if (!reason || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { reason, note: note === "" ? null : note } };
}

export function checkDelivery(input: { note: unknown }): Checked<{ note: string }> {
  const note = text(input.note);
  if (note === "") return { ok: false, errors: { deliveryNote: "missing" } };
  if ([...note].length > NOTE_MAX) return { ok: false, errors: { deliveryNote: "tooLong" } };
  return { ok: true, value: { note } };
}

/**
 * Referral.declineReason holds the reason code, and for "other" the note after
 * it ("other:<note>"): one column, read back by parseDeclineReason.
 */
export function storedDeclineReason(answer: DeclineAnswer): string {
  return answer.note ? `${answer.reason}:${answer.note}` : answer.reason;
}

export function parseDeclineReason(stored: string | null): DeclineAnswer | null {
  if (!stored) return null;
  const colon = stored.indexOf(":");
  const code = colon === -1 ? stored : stored.slice(0, colon);
  const note = colon === -1 ? null : stored.slice(colon + 1);
  const reason = (DECLINE_REASONS as readonly string[]).includes(code) ? (code as DeclineReason) : "other";
  return { reason, note };
}
