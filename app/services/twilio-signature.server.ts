// Twilio's webhook signature (X-Twilio-Signature): base64 of HMAC-SHA1, keyed
// with the account's auth token, over the full URL Twilio called followed by
// every POST parameter name and value, sorted by name. Compared in constant
// time so a forger learns nothing from how long a "no" takes.
import crypto from "node:crypto";

export type FormParams = Record<string, string | string[] | undefined>;

export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  const data =
    url +
    Object.keys(params)
      .sort()
      .map((name) => {
        const value = params[name];
        const values = Array.isArray(value) ? [...value].sort() : value === undefined ? [] : [value];
        return values.map((v) => name + v).join("");
      })
      .join("");
  return crypto.createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
}

export function isValidTwilioSignature(authToken: string, signature: string | undefined | null, url: string, params: FormParams): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}
