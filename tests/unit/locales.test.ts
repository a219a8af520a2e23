// Both languages must say everything: same namespaces, same keys, no empty
// strings, and the same {{placeholders}} in each translation.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve("public/locales");
const languages = fs.readdirSync(root).sort();

function flatten(obj: unknown, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  if (obj && typeof obj === "object" && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) Object.assign(out, flatten(v, prefix ? `${prefix}.${k}` : k));
  } else {
    out[prefix] = String(obj);
  }
  return out;
}

function load(lng: string): Record<string, Record<string, string>> {
  const dir = path.join(root, lng);
  return Object.fromEntries(
    fs.readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => [f.slice(0, -5), flatten(JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")))]),
  );
}

// Plural forms differ by language (English has _one and _other, Chinese only _other).
const baseKeys = (keys: string[]) => [...new Set(keys.map((k) => k.replace(/_(zero|one|two|few|many|other)$/, "")))].sort();

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

describe("locale files", () => {
  it("exist for zh-CN and en", () => {
    expect(languages).toEqual(["en", "zh-CN"]);
  });

  const zh = load("zh-CN");
  const en = load("en");

  it("have the same namespaces", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  for (const ns of Object.keys(zh)) {
    describe(`namespace ${ns}`, () => {
      it("has the same keys in both languages", () => {
        expect(baseKeys(Object.keys(en[ns] ?? {}))).toEqual(baseKeys(Object.keys(zh[ns])));
      });
      it("has no empty strings", () => {
        for (const lng of [zh, en]) {
          for (const [key, value] of Object.entries(lng[ns] ?? {})) expect(value.trim(), `${ns}:${key}`).not.toBe("");
        }
      });
      it("uses the same placeholders in both languages", () => {
        for (const [key, value] of Object.entries(zh[ns])) {
          if (!(key in (en[ns] ?? {}))) continue; // a plural form only one language has
          expect(placeholders(en[ns][key]), `${ns}:${key}`).toEqual(placeholders(value));
        }
      });
    });
  }
});
