// The ways an outbox text leaves the building. twilioSender posts to Twilio's
// REST API (TWILIO_API_URL: a local fake in tests); simulatorSender sends
// nothing and the phone simulator (/dev/sms) reads the text from the outbox
// table instead. A failure says whether trying again could help, and its
// reason never holds the number or the text: it is stored and logged.
import crypto from "node:crypto";
import { twilioConfigured, type Config } from "./config.server";

export interface OutgoingText {
  /** E.164 */
  to: string;
  body: string;
}

export interface SmsSender {
  /** "twilio" or "simulator": for logs and the simulator page */
  readonly kind: "twilio" | "simulator";
  /** Resolves with the provider's id for the text; rejects with SmsSendError. */
  send(text: OutgoingText): Promise<{ providerId: string }>;
}

/**
 * A text that did not go out. `permanent` means the same request can never
 * succeed (an invalid number, say), so the outbox gives up at once.
 */
export class SmsSendError extends Error {
  constructor(
    /** short, free of personal data: "twilio http 400 code 21211", "network timeout" */
    readonly reason: string,
    readonly permanent: boolean,
  ) {
    super(reason);
    this.name = "SmsSendError";
  }
}

export const TWILIO_TIMEOUT_MS = 10_000;

export interface TwilioSenderOptions {
  accountSid: string;
  authToken: string;
  /** our sending number, E.164 */
  from: string;
  /** base URL without a trailing slash, e.g. https://api.twilio.com */
  apiUrl: string;
  timeoutMs?: number;
}

/**
 * Whether an HTTP status from Twilio is worth another try. 429 (slow down),
 * 408 and 5xx are passing troubles; 401 means our credentials are wrong, which
 * an operator can fix while the text waits. Any other 4xx (400 invalid or
 * unsubscribed number, 404…) will fail the same way every time.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 401 || status === 408 || status === 429 || status >= 500;
}

/** Twilio's numeric error code from an error body, if it has one (its message may quote the number, so only the code is kept). */
async function twilioErrorCode(response: Response): Promise<number | null> {
  try {
    const body = (await response.json()) as { code?: unknown };
    return typeof body.code === "number" ? body.code : null;
  } catch {
    return null;
  }
}

function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return "network timeout";
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = cause && typeof cause.code === "string" && /^[A-Z_]+$/.test(cause.code) ? cause.code : "error";
  return `network ${code}`;
}

export function twilioSender({ accountSid, authToken, from, apiUrl, timeoutMs = TWILIO_TIMEOUT_MS }: TwilioSenderOptions): SmsSender {
  const url = `${apiUrl.replace(/\/$/, "")}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;
  return {
    kind: "twilio",
    async send({ to, body }) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { Authorization: authorization, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
          body: new URLSearchParams({ To: to, From: from, Body: body }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new SmsSendError(networkReason(error), false);
      }
      if (!response.ok) {
        const code = await twilioErrorCode(response);
        throw new SmsSendError(`twilio http ${response.status}${code === null ? "" : ` code ${code}`}`, !isRetryableStatus(response.status));
      }
      let sid: unknown;
      try {
        sid = ((await response.json()) as { sid?: unknown }).sid;
      } catch {
        sid = undefined;
      }
      // Accepted but unreadable: Twilio has the text, so sending it again would send it twice.
      return { providerId: typeof sid === "string" && sid !== "" ? sid : "twilio-unknown" };
    },
  };
}

/** Demo mode or no Twilio settings: nothing leaves; the text shows in /dev/sms. */
export function simulatorSender(): SmsSender {
  return {
    kind: "simulator",
    send() {
      return Promise.resolve({ providerId: `sim-${crypto.randomUUID()}` });
    },
  };
}

/** Twilio when TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_NUMBER are all set, else the simulator. */
export function senderFromConfig(cfg: Pick<Config, "twilio">): SmsSender {
  const tw = cfg.twilio;
  if (!twilioConfigured(tw)) return simulatorSender();
  return twilioSender({ accountSid: tw.accountSid, authToken: tw.authToken, from: tw.number, apiUrl: tw.apiUrl });
}
