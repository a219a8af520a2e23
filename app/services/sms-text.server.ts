// The words of every text we send (namespace "sms"), in the language the
// person chose. Each key has its own typed values, so a caller cannot forget
// one and send "{{code}}" to a phone. PUBLIC_URL is filled in here, so links
// point at this installation. Keep texts short: see tests/unit/outbox.
import type { Language } from "~/i18n";
import { config } from "./config.server";
import { fixedT } from "./i18n.server";

export interface SmsTextValues {
  /** after submitting an application: its reference, and where to follow it */
  applicationReceipt: { reference: string };
  /** the 6-digit code that opens /track */
  trackingCode: { code: string };
  /** sent to the applicant when someone applies for them: their consent code */
  proxyConsentCode: { code: string; proxyName: string };
  /** the link back to a saved application draft */
  resumeLink: { url: string };
  /** a call-back was booked */
  callbackConfirmation: { reference: string };
}

export type SmsTextKey = keyof SmsTextValues;

export const SMS_TEXT_KEYS: readonly SmsTextKey[] = ["applicationReceipt", "trackingCode", "proxyConsentCode", "resumeLink", "callbackConfirmation"];

export function smsText<K extends SmsTextKey>(lng: Language, key: K, values: SmsTextValues[K]): string {
  const t = fixedT(lng, "sms");
  return t(key, { ...values, publicUrl: config().publicUrl });
}
