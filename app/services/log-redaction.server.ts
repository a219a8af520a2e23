// The server's last line of defence for the rule "personal data is never
// logged" (issue 7 item 4): everything written through console.* is scrubbed
// of what looks like a phone number (11-digit mobile, with +86 or spaces), an
// ID number (18 characters) or a texted code (6 digits) before it reaches
// stdout or stderr. Our own messages already leave such data out; this
// catches what libraries print about a request (e.g. React Router's "No
// routes matched location …" with the query string, outside NODE_ENV=production).
import { format } from "node:util";

const SPACED_MOBILE = /(?<![\d])(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;
/** Six or more digits in a row (codes, phones, ID numbers; an ID number may end in X). */
const DIGIT_RUN = /\d{6,}[Xx]?/g;
export const REDACTED = "[redacted]";

export function redactPersonalData(text: string): string {
  return text.replace(SPACED_MOBILE, REDACTED).replace(DIGIT_RUN, REDACTED);
}

const METHODS = ["log", "info", "warn", "error", "debug"] as const;
let installed = false;

/** Wraps console.log/info/warn/error/debug (once per process) so that what they print is redacted. */
export function installLogRedaction(): void {
  if (installed) return;
  installed = true;
  const target = console as unknown as Record<(typeof METHODS)[number], (...args: unknown[]) => void>;
  for (const method of METHODS) {
    const original = target[method].bind(console);
    target[method] = (...args: unknown[]) => original(redactPersonalData(format(...args)));
  }
}
