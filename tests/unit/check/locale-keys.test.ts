// Every word the check can ask for exists in both languages: each step's
// question in each voice, its options and summary label, and every error key
// its parser can return.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ALL_STEP_DEFS, type StepDef } from "~/domain/check";

function load(lng: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.resolve("public/locales", lng, "check.json"), "utf8"));
}

function lookup(tree: Record<string, unknown>, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), tree);
}

function keysFor(def: StepDef): string[] {
  const base = `steps.${def.slug}`;
  const keys: string[] = [];
  const voices = def.scope === "person" ? ["you", "them", "member"] : ["you", "them"];
  if (def.slug === "who") keys.push(`${base}.title`);
  else for (const v of voices) keys.push(`${base}.title_${v}`);
  const w = def.widget;
  switch (w.kind) {
    case "choice":
      keys.push(`${base}.summary`, `errors.${w.name}.required`);
      for (const option of w.options) {
        if (def.slug === "work") keys.push(`${base}.options.${option}_you`, `${base}.options.${option}_them`, `${base}.answers.${option}`);
        else keys.push(`${base}.options.${option}`);
      }
      break;
    case "wholeNumber":
      keys.push(`${base}.summary`, ...["required", "notWhole", "range"].map((p) => `errors.${w.name}.${p}`));
      break;
    case "amount": {
      const group = w.unit === "squareMetres" ? "area" : "amount";
      keys.push(`${base}.summary`, ...["required", "invalid", "negative", "decimals", "tooLarge"].map((p) => `errors.${group}.${p}`));
      break;
    }
    case "counts":
      for (const f of w.fields) {
        keys.push(`${base}.${f.name}.label`, `${base}.${f.name}.hint`, `${base}.${f.name}.summary`);
        keys.push(...["required", "notWhole", "range"].map((p) => `errors.${f.name}.${p}`));
      }
      break;
  }
  return keys;
}

describe("check locale keys", () => {
  for (const lng of ["zh-CN", "en"]) {
    it(`has every step's words in ${lng}`, () => {
      const tree = load(lng);
      const missing = ALL_STEP_DEFS.flatMap(keysFor).filter((key) => typeof lookup(tree, key) !== "string");
      expect(missing).toEqual([]);
    });
  }

  it("has one step per slug", () => {
    const slugs = ALL_STEP_DEFS.map((d) => d.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
  });
});
