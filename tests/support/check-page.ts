// One call for the checks every public page must pass: it loads, its
// <html lang> matches the language asked for, axe finds no WCAG 2.2 AA
// violation (at desktop width and at 320 px), nothing scrolls sideways at
// 320 px, and (unless turned off) the keyboard walk passes.
import type { Page, Response } from "playwright-core";
import { expect } from "vitest";
import { expectNoAxeViolations } from "./axe";
import { waitForPageReady } from "./browser";
import { expectKeyboardAccessible, expectNoHorizontalScroll } from "./layout";

export type Lng = "zh-CN" | "en";

export interface CheckPageOptions {
  /** Adds ?lng= to the URL and expects this <html lang>; default zh-CN (no parameter added). */
  lng?: Lng;
  /** Expected HTTP status; default 200. */
  status?: number;
  /** Run the keyboard walk too; default true. */
  keyboard?: boolean;
}

export function withLng(url: string, lng: Lng | undefined): string {
  if (!lng) return url;
  const [pathAndQuery, hash = ""] = url.split("#");
  const sep = pathAndQuery.includes("?") ? "&" : "?";
  return `${pathAndQuery}${sep}lng=${encodeURIComponent(lng)}${hash ? `#${hash}` : ""}`;
}

/**
 * Navigates to `url` (relative to the e2e server) and runs the page checks.
 * Returns the navigation response. Leaves the page at 320 px wide.
 */
export async function checkPage(page: Page, url: string, options: CheckPageOptions = {}): Promise<Response | null> {
  const response = await page.goto(withLng(url, options.lng), { waitUntil: "load" });
  await checkCurrentPage(page, { lng: options.lng, keyboard: options.keyboard });
  expect(response?.status(), `HTTP status of ${url}`).toBe(options.status ?? 200);
  return response;
}

/** The same checks on whatever the page shows now (e.g. after submitting a form). */
export async function checkCurrentPage(page: Page, options: Omit<CheckPageOptions, "status"> = {}): Promise<void> {
  const lng = options.lng ?? "zh-CN";
  await waitForPageReady(page);
  expect(await page.getAttribute("html", "lang"), `<html lang> on ${page.url()}`).toBe(lng);
  expect((await page.title()).trim(), `<title> on ${page.url()}`).not.toBe("");
  await expectNoAxeViolations(page);
  if (options.keyboard ?? true) await expectKeyboardAccessible(page);
  await expectNoHorizontalScroll(page);
  // Small screens get their own layout: check contrast and target sizes there too.
  await expectNoAxeViolations(page);
}
