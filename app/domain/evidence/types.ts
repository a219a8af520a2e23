// The kinds of document a resident can upload (contract: evidence types), the
// formats we keep and the review status of each file. Names and "what to
// photograph" hints: evidence.<type>.name / .hint in namespace "case".

export const EVIDENCE_TYPES = [
  "id_card",
  "household_register",
  "income_proof",
  "medical_bills",
  "disability_certificate",
  "authorization",
  "other",
] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

export function isEvidenceType(value: unknown): value is EvidenceType {
  return typeof value === "string" && (EVIDENCE_TYPES as readonly string[]).includes(value);
}

/** Formats recognised from a file's first bytes, never from its name or declared type. */
export const EVIDENCE_FORMATS = ["pdf", "jpeg", "png", "heic"] as const;
export type EvidenceFormat = (typeof EVIDENCE_FORMATS)[number];

export const EVIDENCE_CONTENT_TYPES: Readonly<Record<EvidenceFormat, string>> = {
  pdf: "application/pdf",
  jpeg: "image/jpeg",
  png: "image/png",
  heic: "image/heic",
};

/** received: stored, not looked at yet; accepted / rejected: by a caseworker, with a reason. */
export const EVIDENCE_STATUSES = ["received", "accepted", "rejected"] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

/** The largest file accepted (contract: 413 over 10 MB). */
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;
