// The fuzz suite covers every route that takes input: each file in
// app/routes exporting an `action` has a target in forms-public.test.ts or
// forms-staff.test.ts (`formTarget("<file>"`), and each JSON API route file
// (api.v1.*, loader or action) its own test in api.test.ts (`it("<file>"`).
// A new route without fuzzing FAILS here: add its target. (http.test.ts
// finds every action by itself.)
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const routesDir = path.resolve("app/routes");
const fuzzDir = path.resolve("tests/integration/fuzz");

function source(file: string): string {
  return fs.readFileSync(path.join(fuzzDir, file), "utf8");
}

const formTargets = new Set(
  [
    ...`${source("forms-public.test.ts")}\n${source(
      "forms-staff.test.ts"
    )}`.matchAll(/formTarget\(\s*"([^"]+)"/g),
  ].map((m) => m[1])
);
const apiTests = new Set(
  [...source("api.test.ts").matchAll(/\bit\(\s*"(api\.v1\.[^"]+)"/g)].map(
    (m) => m[1]
  )
);

const routeFiles = fs
  .readdirSync(routesDir)
  .filter((f) => /\.tsx?$/.test(f))
  .sort();

describe("every route that takes input is fuzzed", () => {
  it("finds the route files and the targets", () => {
    expect(routeFiles).toContain("callback.tsx");
    expect(formTargets.size).toBeGreaterThan(20);
    expect(apiTests.size).toBeGreaterThan(4);
  });

  it.each(routeFiles)("%s", (file) => {
    // Read, not imported: importing every route module costs more than the check.
    const text = fs.readFileSync(path.join(routesDir, file), "utf8");
    const action =
      /^export (async )?function action\b|^export const action\b|^export \{[^}]*\baction\b/m.test(
        text
      );
    if (file.startsWith("api.")) {
      expect(
        apiTests.has(file),
        `${file}: add it("${file}", …) to tests/integration/fuzz/api.test.ts`
      ).toBe(true);
    } else if (action) {
      expect(
        formTargets.has(file),
        `${file} has an action: add formTarget("${file}", …) to forms-public.test.ts or forms-staff.test.ts`
      ).toBe(true);
    } else {
      expect(
        formTargets.has(file),
        `${file} has no action: remove its target`
      ).toBe(false);
    }
  });
});
