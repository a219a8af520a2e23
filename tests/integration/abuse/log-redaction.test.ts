// The console scrubber installed by the server (app/services/log-redaction.server.ts):
// phone numbers in every written form, ID numbers and 6-digit codes become
// "[redacted]"; ordinary log text (ports, counts, error kinds) is left alone.
import { describe, expect, it } from "vitest";
import { redactPersonalData } from "~/services/log-redaction.server";

describe("redactPersonalData", () => {
  it.each([
    ['No routes matched location "/track/x?phone=13812345678"', 'No routes matched location "/track/x?phone=[redacted]"'],
    ["call +8613812345678 now", "call [redacted] now"],
    ["call +86 138 1234 5678 now", "call [redacted] now"],
    ["call 138-1234-5678 now", "call [redacted] now"],
    ["id 11010519491231002X here", "id [redacted] here"],
    ["id 110105194912310021", "id [redacted]"],
    ["code 042917.", "code [redacted]."],
  ])("%s", (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });

  it("leaves ordinary log lines as they are", () => {
    for (const line of [
      "Lifeline is serving on http://localhost:45409 (demo mode)",
      "outbox: text not sent after 5 tries (twilio http 400 code 21211)",
      "sms inbox: a text could not be answered (try 2: PrismaClientKnownRequestError)",
    ])
      expect(redactPersonalData(line)).toBe(line);
  });
});
