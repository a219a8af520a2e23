// The audit hash must not depend on key order, and must change with any field.
import { describe, expect, it } from "vitest";
import { canonicalJson, entryHash, GENESIS_HASH, type ChainedFields } from "~/services/audit.server";

const entry: ChainedFields = {
  seq: 1,
  at: new Date("2026-11-28T12:00:00.000Z"),
  actor: "staff:1",
  actorName: "wang",
  action: "view_case",
  subjectType: "application",
  subjectId: "LA-1",
  reason: null,
  detail: "{}",
  prevHash: GENESIS_HASH,
};

describe("canonicalJson", () => {
  it("sorts keys at every level and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
  });
});

describe("entryHash", () => {
  it("is sha256 hex and changes when any field changes", () => {
    const base = entryHash(entry);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const variants: Partial<ChainedFields>[] = [
      { seq: 2 },
      { at: new Date("2026-11-28T12:00:00.001Z") },
      { actor: "staff:2" },
      { actorName: null },
      { action: "approve_case" },
      { subjectType: "callback" },
      { subjectId: "LA-2" },
      { reason: "x" },
      { detail: '{"a":1}' },
      { prevHash: "f".repeat(64) },
    ];
    for (const change of variants) expect(entryHash({ ...entry, ...change }), JSON.stringify(change)).not.toBe(base);
  });
});
