// X-Twilio-Signature with Twilio's published example, and what tampering does.
import { describe, expect, it } from "vitest";
import { isValidTwilioSignature, twilioSignature } from "~/services/twilio-signature.server";

const URL_ = "https://mycompany.com/myapp.php?foo=1&bar=2";
const TOKEN = "12345";
const PARAMS = { CallSid: "CA1234567890ABCDE", Caller: "+12349013030", Digits: "1234", From: "+12349013030", To: "+18005551212" };
const EXPECTED = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

describe("twilioSignature", () => {
  it("matches Twilio's published test vector", () => {
    expect(twilioSignature(TOKEN, URL_, PARAMS)).toBe(EXPECTED);
    expect(isValidTwilioSignature(TOKEN, EXPECTED, URL_, PARAMS)).toBe(true);
  });
  it("does not depend on the order the parameters come in", () => {
    const reversed = Object.fromEntries(Object.entries(PARAMS).reverse());
    expect(twilioSignature(TOKEN, URL_, reversed)).toBe(EXPECTED);
  });
  it.each([
    ["a changed value", { ...PARAMS, Digits: "1235" }, URL_, TOKEN],
    ["an added field", { ...PARAMS, Body: "hi" }, URL_, TOKEN],
    ["a missing field", { CallSid: PARAMS.CallSid, Caller: PARAMS.Caller, Digits: PARAMS.Digits, From: PARAMS.From }, URL_, TOKEN],
    ["another URL", PARAMS, "https://mycompany.com/myapp.php?foo=1&bar=3", TOKEN],
    ["another token", PARAMS, URL_, "54321"],
  ])("rejects %s", (_what, params, url, token) => {
    expect(isValidTwilioSignature(token, EXPECTED, url, params)).toBe(false);
  });
  it("rejects a missing, empty or malformed signature", () => {
    expect(isValidTwilioSignature(TOKEN, undefined, URL_, PARAMS)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, "", URL_, PARAMS)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, "0/KCTR6DLpKmkAf8muzZqo1nDgQ", URL_, PARAMS)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, EXPECTED.toLowerCase(), URL_, PARAMS)).toBe(false);
  });
});
