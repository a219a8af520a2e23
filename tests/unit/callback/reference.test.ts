import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidReference, makeReference, normalizeReference, REFERENCE_ALPHABET, referenceGroups } from "~/domain/callback/reference";

/** A deterministic source of numbers in [0, 1) for repeatable references. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const samples = Array.from({ length: 40 }, (_, i) => makeReference("CB", seeded(i + 1)));

function body(ref: string): string {
  return ref.slice(3).replace("-", "");
}

function withBody(prefix: string, b: string): string {
  return `${prefix}-${b.slice(0, 4)}-${b.slice(4)}`;
}

describe("reference alphabet", () => {
  it("has no symbol people confuse and a prime size", () => {
    // 0/O, 1/I/L, 2/Z and U/V: one of each pair (or all) left out.
    for (const ambiguous of "0O1ILZU") expect(REFERENCE_ALPHABET).not.toContain(ambiguous);
    expect(new Set(REFERENCE_ALPHABET).size).toBe(REFERENCE_ALPHABET.length);
    expect(REFERENCE_ALPHABET.length).toBeGreaterThanOrEqual(28);
    expect(REFERENCE_ALPHABET.length).toBeLessThanOrEqual(32);
  });
});

describe("makeReference", () => {
  it("has the prefix, two groups of four and only alphabet symbols", () => {
    for (const ref of samples) {
      expect(ref).toMatch(new RegExp(`^CB-[${REFERENCE_ALPHABET}]{4}-[${REFERENCE_ALPHABET}]{4}$`));
      expect(isValidReference(ref)).toBe(true);
      expect(isValidReference(ref, "CB")).toBe(true);
      expect(isValidReference(ref, "LA")).toBe(false);
    }
  });

  it("uses the prefix given, with or without its dash", () => {
    expect(makeReference("LA-", seeded(7))).toMatch(/^LA-/);
    expect(isValidReference(makeReference("la", seeded(7)), "LA")).toBe(true);
    expect(() => makeReference("C1")).toThrow();
  });

  it("is random by default", () => {
    const refs = new Set(Array.from({ length: 200 }, () => makeReference("CB")));
    expect(refs.size).toBe(200);
    for (const ref of refs) expect(isValidReference(ref)).toBe(true);
  });

  it("is valid for any random source, even one at the edges", () => {
    expect(isValidReference(makeReference("CB", () => 0))).toBe(true);
    expect(isValidReference(makeReference("CB", () => 0.999999999))).toBe(true);
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 7, maxLength: 7 }), (values) => {
      let i = 0;
      return isValidReference(makeReference("CB", () => values[i++]));
    }));
  });
});

describe("the check symbol", () => {
  it("catches every single wrong symbol in every sample", () => {
    let tried = 0;
    for (const ref of samples) {
      const b = body(ref);
      for (let i = 0; i < b.length; i++) {
        for (const symbol of REFERENCE_ALPHABET) {
          if (symbol === b[i]) continue;
          const typo = b.slice(0, i) + symbol + b.slice(i + 1);
          expect(isValidReference(withBody("CB", typo)), `${ref} with ${symbol} at ${i}`).toBe(false);
          tried++;
        }
      }
    }
    expect(tried).toBe(samples.length * 8 * (REFERENCE_ALPHABET.length - 1));
  });

  it("catches every swap of two neighbouring different symbols in every sample", () => {
    let tried = 0;
    for (const ref of samples) {
      const b = body(ref);
      for (let i = 0; i + 1 < b.length; i++) {
        if (b[i] === b[i + 1]) continue;
        const swapped = b.slice(0, i) + b[i + 1] + b[i] + b.slice(i + 2);
        expect(isValidReference(withBody("CB", swapped)), `${ref} swap at ${i}`).toBe(false);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(samples.length * 5);
  });

  it("catches any one wrong symbol or neighbour swap of any reference (property)", () => {
    const symbol = fc.constantFrom(...REFERENCE_ALPHABET);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 7, maxLength: 7 }), fc.nat(7), symbol, (values, at, replacement) => {
        let i = 0;
        const b = body(makeReference("CB", () => values[i++]));
        const typo = b.slice(0, at) + replacement + b.slice(at + 1);
        const swapAt = Math.min(at, 6);
        const swapped = b.slice(0, swapAt) + b[swapAt + 1] + b[swapAt] + b.slice(swapAt + 2);
        return (typo === b || !isValidReference(withBody("CB", typo))) && (swapped === b || !isValidReference(withBody("CB", swapped)));
      }),
    );
  });

  it("rejects symbols outside the alphabet and wrong lengths", () => {
    const b = body(samples[0]);
    expect(isValidReference(withBody("CB", `0${b.slice(1)}`))).toBe(false);
    expect(isValidReference(withBody("CB", `O${b.slice(1)}`))).toBe(false);
    expect(isValidReference(`CB-${b.slice(0, 7)}`)).toBe(false);
    expect(isValidReference(`CB-${b}2`)).toBe(false);
    expect(isValidReference("")).toBe(false);
    expect(isValidReference("hello")).toBe(false);
  });
});

describe("normalizeReference", () => {
  const ref = samples[3];
  const b = body(ref);

  it("accepts what people type or read out", () => {
    for (const typed of [
      ref,
      ref.toLowerCase(),
      `cb ${b.slice(0, 4)} ${b.slice(4)}`.toLowerCase(),
      `CB${b}`,
      ` C B - ${b.split("").join(" ")} `,
      `CB–${b.slice(0, 4)}—${b.slice(4)}`,
      `ＣＢ－${b}`.replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
    ]) {
      expect(normalizeReference(typed), typed).toBe(ref);
      expect(isValidReference(typed), typed).toBe(true);
    }
  });

  it("leaves what cannot be a reference cleaned up but invalid", () => {
    expect(normalizeReference(" ab-c ")).toBe("ABC");
    expect(isValidReference("ab-c")).toBe(false);
  });

  it("splits a reference into groups to read out", () => {
    expect(referenceGroups(ref.toLowerCase())).toEqual(["CB", b.slice(0, 4), b.slice(4)]);
  });
});
