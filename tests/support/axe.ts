// axe-core in the real browser: WCAG 2.0/2.1/2.2 A and AA rules, plus
// target-size (off by default in axe). Colour contrast runs here too, since it
// needs real layout. Violations come back as readable text, so a failing
// assertion says what is wrong and where.
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { assert } from "vitest";
import { withScriptsFor } from "./browser";

const require = createRequire(import.meta.url);
const AXE_SOURCE: string = (require("axe-core") as { source: string }).source;

const AXE_OPTIONS = {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
  rules: { "target-size": { enabled: true } },
  resultTypes: ["violations"],
};

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/** Runs axe on the page as it is now and returns its violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // page.evaluate runs outside the page's CSP (script-src 'self' 'nonce-…'),
  // so axe can be injected without weakening the policy under test. It also
  // works on pages opened with JavaScript off (see withScriptsFor).
  return withScriptsFor(page, async () => {
    const loaded = await page.evaluate("typeof window.axe === 'object'");
    if (!loaded) await page.evaluate(AXE_SOURCE);
    return (await page.evaluate(
    `window.axe.run(document, ${JSON.stringify(AXE_OPTIONS)}).then((r) => r.violations.map((v) => ({
      id: v.id, impact: v.impact ?? null, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    })))`,
    )) as AxeViolation[];
  });
}

export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const summary = (n.failureSummary ?? "").replace(/\s+/g, " ").trim();
          return `    at ${JSON.stringify(n.target)}\n      ${n.html.slice(0, 300)}${summary ? `\n      ${summary}` : ""}`;
        })
        .join("\n");
      return `  [${v.impact ?? "?"}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join("\n");
}

/** Fails with every violation listed (rule, impact, selector, HTML). */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length === 0) return;
  const where = `${page.url()} (html lang=${await page.getAttribute("html", "lang")}, ${page.viewportSize()?.width ?? "?"} px wide)`;
  assert.fail(`axe found ${violations.length} violation(s) on ${where}:\n${formatViolations(violations)}`);
}
