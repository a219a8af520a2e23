// When a text that could not be sent is tried again. The waits grow so a
// provider outage is ridden out without hammering it (about 7 hours in all),
// and a text that still fails after MAX_SEND_ATTEMPTS is given up as failed.

/** Waits after the 1st, 2nd, … failed attempt: 30 s, 2 min, 10 min, 1 h, 6 h. */
export const RETRY_DELAYS_MS: readonly number[] = [30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000, 6 * 60 * 60_000];

/** The first try plus one retry per delay. */
export const MAX_SEND_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/**
 * How long to wait after `attempts` tries (counting the one that just failed)
 * before the next; null when there are no tries left.
 */
export function retryDelayMs(attempts: number): number | null {
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError("attempts must be a positive integer");
  if (attempts >= MAX_SEND_ATTEMPTS) return null;
  return RETRY_DELAYS_MS[attempts - 1];
}
