// The retry schedule: 30 s, 2 min, 10 min, 1 h, 6 h, then give up after 6 tries.
import { describe, expect, it } from "vitest";
import { MAX_SEND_ATTEMPTS, retryDelayMs } from "~/domain/sms/backoff";

describe("retryDelayMs", () => {
  it("waits longer after each failed try", () => {
    expect([1, 2, 3, 4, 5].map(retryDelayMs)).toEqual([30_000, 120_000, 600_000, 3_600_000, 21_600_000]);
  });

  it("allows 6 tries in all, then none", () => {
    expect(MAX_SEND_ATTEMPTS).toBe(6);
    expect(retryDelayMs(6)).toBeNull();
    expect(retryDelayMs(7)).toBeNull();
  });

  it("refuses a count that is not a positive whole number", () => {
    expect(() => retryDelayMs(0)).toThrow(RangeError);
    expect(() => retryDelayMs(1.5)).toThrow(RangeError);
  });
});
