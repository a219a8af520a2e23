// Every word the case domain can ask for exists in both languages.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CASE_STATUSES, CHANNELS, EVIDENCE_STATUSES, EVIDENCE_TYPES, evidenceChecklist, statusKey } from "~/domain/case";

const lookup = (tree: unknown, key: string): unknown =>
  key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), tree);

const load = (lng: string) => JSON.parse(fs.readFileSync(path.resolve("public/locales", lng, "case.json"), "utf8"));

// Every reason the checklist can give, from households that trigger each branch.
const checklistReasons = new Set(
  [
    evidenceChecklist({ household: { members: [{ monthlyIncome: 0 }] }, onBehalf: false }),
    evidenceChecklist({ household: { members: [{ monthlyIncome: 500, disability: "severe" }], annualMedicalOutOfPocket: 900 }, onBehalf: true }),
    evidenceChecklist({ household: { members: [{}] }, onBehalf: false }),
  ]
    .flat()
    .map((item) => item.reason),
);

const keys = [
  ...CASE_STATUSES.flatMap((s) => (["title", "meaning", "next"] as const).map((part) => statusKey(s, part))),
  ...CHANNELS.map((c) => `channel.${c}`),
  ...EVIDENCE_TYPES.flatMap((t) => [`evidence.${t}.name`, `evidence.${t}.hint`]),
  ...EVIDENCE_STATUSES.map((s) => `evidenceStatus.${s}`),
  ...checklistReasons,
  "checklist.required",
  "checklist.optional",
  ...["label", "hint", "required", "length", "chars", "birthDate", "checkDigit"].map((k) => `idNumber.${k}`),
  ...["too_large", "unsupported_type", "empty"].map((r) => `upload.errors.${r}`),
  "errors.invalidTransition",
];

describe("case locale keys", () => {
  for (const lng of ["zh-CN", "en"]) {
    it(`${lng} has a non-empty text for each key`, () => {
      const tree = load(lng);
      for (const key of keys) {
        const value = lookup(tree, key);
        expect(typeof value, `${lng} case:${key}`).toBe("string");
        expect((value as string).trim(), `${lng} case:${key}`).not.toBe("");
      }
    });
  }

  it("covers all eight checklist reasons", () => {
    expect(checklistReasons.size).toBe(8);
  });

  it("keeps status titles short", () => {
    for (const lng of ["zh-CN", "en"]) {
      for (const s of CASE_STATUSES) expect((lookup(load(lng), statusKey(s, "title")) as string).length, `${lng} ${s}`).toBeLessThanOrEqual(30);
    }
  });
});
