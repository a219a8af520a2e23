// Staff pages in Chromium: the demo accounts' sign-in and a form press that
// waits for the page it leads to. Shared by the e2e files that work as staff.
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { waitForPageReady } from "./browser";

/** The demo accounts' password (prisma/seed.ts). */
export const DEMO_PASSWORD = "lifeline-demo-2026";

/** Clicks `selector` and waits for the navigation it starts (and hydration); the new page's status. */
export async function press(page: Page, selector: string): Promise<number | undefined> {
  // Hydration first, before and after: Remix's hydration calls history.replaceState, which
  // waitForNavigation would take for the press's navigation and return still on the old page.
  await waitForPageReady(page);
  const [response] = await Promise.all([page.waitForNavigation(), page.locator(selector).click()]);
  await waitForPageReady(page);
  return response?.status();
}

/**
 * Signs in as a demo account through the login form. When the form refuses
 * (locked account, too many tries from one address), the failure quotes what
 * the page said, so a refusal is not mistaken for a slow page.
 */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto("/staff/login");
  await page.fill("#username", username);
  await page.fill("#password", DEMO_PASSWORD);
  const status = await press(page, 'main form button[type="submit"]');
  if (new URL(page.url()).pathname === "/staff/login") {
    const said = await page.locator("main").innerText().catch(() => "(no main)");
    expect.fail(`signing in as ${username} was refused (${status}): ${said.replace(/\s+/g, " ").slice(0, 300)}`);
  }
}
