/**
 * Screening opt-outs (ScreeningOptOut.idHash): a resident who asked not to be
 * screened again is remembered by an HMAC-SHA256 of their 18-character ID
 * number, never the number itself. Both the web app (which records the
 * request) and the screening (`npm run outreach`, console uploads) compute the
 * same hash here, so they must agree on the normal form and the key.
 *
 * Why an HMAC and not a plain SHA-256: an ID number has little entropy (region,
 * birth date, three digits, check character), so a plain hash of every
 * possible number can be computed in hours and the table would reveal who
 * opted out. With a secret key it cannot.
 *
 * Why the key is derived from the session secret with a fixed label
 * (`screeningOptOutKey`): the session secret is the one secret every process
 * of an installation already shares (SESSION_SECRET, or the generated
 * data/session-secret file next to the SQLite database), so the portal and the
 * CLI agree without new configuration; the label keeps the two uses apart (an
 * opt-out hash is never a valid cookie signature and the other way round).
 * Consequence: changing the session secret makes the stored opt-outs
 * unmatchable (they cannot be re-hashed: the numbers are not kept). Whoever
 * rotates SESSION_SECRET must keep the old value for this key, or ask those
 * residents again.
 *
 * Not re-exported from ./index: it needs node:crypto, and the index is
 * imported by code that may end up in the browser bundle.
 */
import { createHmac } from "node:crypto";

/** The label of the derived key; changing it makes every stored opt-out unmatchable. */
export const SCREENING_OPT_OUT_LABEL = "lifeline/screening-opt-out/v1";

/** The HMAC key for opt-out hashes, derived from the installation's session secret. */
export function screeningOptOutKey(sessionSecret: string): string {
  if (sessionSecret === "") throw new Error("The session secret is empty");
  return createHmac("sha256", sessionSecret).update(SCREENING_OPT_OUT_LABEL).digest("hex");
}

/**
 * The normal form hashed: surrounding spaces removed and the check character
 * upper case (x → X), as the screening's rows carry it. The caller validates
 * the number first (~/domain/identity validateIdNumber); this only normalizes.
 */
export function normalizeIdForOptOut(idNumber: string): string {
  return idNumber.trim().toUpperCase();
}

/** HMAC-SHA256(key, normalized ID number) as 64 lower-case hex characters. `secret` is screeningOptOutKey(sessionSecret). */
export function screeningOptOutHash(idNumber: string, secret: string): string {
  return createHmac("sha256", secret).update(normalizeIdForOptOut(idNumber)).digest("hex");
}

/**
 * The `excludePerson` test for OutreachScreening from the stored hashes; null
 * when nobody opted out (then the screening hashes nothing: a million HMACs
 * cost seconds). Row ID numbers are already in normal form.
 */
export function optOutExcluder(hashes: ReadonlySet<string>, secret: string): ((idNumber: string) => boolean) | null {
  if (hashes.size === 0) return null;
  return (idNumber) => hashes.has(createHmac("sha256", secret).update(idNumber).digest("hex"));
}
