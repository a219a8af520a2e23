// Layout and keyboard checks in the real browser: no sideways scrolling on a
// 320 px screen (WCAG 1.4.10 reflow), and a keyboard walk that records every
// Tab stop, so tests can assert the skip link comes first, every control can
// be reached, and each one shows where the focus is (WCAG 2.4.7).
import type { Page } from "playwright-core";
import { assert, expect } from "vitest";
import { waitForPageReady } from "./browser";

export const NARROW_VIEWPORT = { width: 320, height: 640 };

/** Resizes to 320 px wide (unless already there) and fails if the page scrolls sideways. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const size = page.viewportSize();
  if (!size || size.width !== NARROW_VIEWPORT.width) await page.setViewportSize(NARROW_VIEWPORT);
  const widths = await page.evaluate(`(() => {
    const root = document.documentElement;
    const overflows = (el) => el.getBoundingClientRect().right > root.clientWidth + 1;
    // The innermost offenders: elements too wide whose children are not.
    const wide = [...document.body.querySelectorAll("*")]
      .filter((el) => overflows(el) && ![...el.children].some(overflows))
      .slice(0, 5)
      .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : ""));
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide };
  })()`) as { scrollWidth: number; clientWidth: number; wide: string[] };
  if (widths.scrollWidth > widths.clientWidth) {
    assert.fail(`${page.url()} is ${widths.scrollWidth} px wide in a ${widths.clientWidth} px window; too wide: ${widths.wide.join(", ")}`);
  }
}

/** One Tab stop: what was focused and how it looked with and without focus. */
export interface TabStop {
  /** Index in tab order; also written to the element as data-e2e-tab. */
  index: number;
  /** Short description: tag, id, class, href or name and text. */
  label: string;
  tag: string;
  href: string | null;
  /** Groups elements that share one Tab stop (radios with one name). */
  key: string;
  focusedStyle: string;
  /** Filled in by walkTabOrder once focus has left the element. */
  unfocusedStyle: string;
  /** Whether the focused element's box was inside the window. */
  onScreen: boolean;
}

// Everything a person may need to reach with the keyboard.
const INTERACTIVE = `a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])`;

// Style properties through which a focus indicator can show.
const STYLE_SCRIPT = `(el) => {
  const s = getComputedStyle(el);
  const outline = s.outlineStyle === "none" || parseFloat(s.outlineWidth) === 0 ? "none" : s.outlineStyle + " " + s.outlineWidth + " " + s.outlineColor;
  return ["outline: " + outline, "box-shadow: " + s.boxShadow, "background: " + s.backgroundColor, "color: " + s.color,
    "border: " + s.borderTopColor + " " + s.borderTopWidth, "text-decoration: " + s.textDecorationLine + " " + s.textDecorationThickness].join("; ");
}`;

const DESCRIBE_SCRIPT = `(el) => {
  const tag = el.tagName.toLowerCase();
  const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").replace(/\\s+/g, " ").trim().slice(0, 40);
  const id = el.id ? "#" + el.id : "";
  const cls = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\\s+/).join(".") : "";
  const href = el.getAttribute("href");
  const name = el.getAttribute("name");
  const key = tag === "input" && el.type === "radio" && name ? "radio:" + name : null;
  return { tag, href, key, label: tag + id + cls + (href ? "[href=" + href + "]" : "") + (name ? "[name=" + name + "]" : "") + (text ? ' "' + text + '"' : "") };
}`;

/**
 * Puts the keyboard focus at the very top of the document, as on a fresh page
 * load, without clicking anything: a temporary unfocusable-by-Tab element at
 * the start of <body> takes focus, so the next Tab goes to the first stop.
 * Call it right before pressing Tab; the marker is removed by the caller.
 */
async function focusTopOfDocument(page: Page): Promise<void> {
  // The marker must not be in the DOM while React hydrates it.
  await waitForPageReady(page);
  await page.evaluate(`(() => {
    window.scrollTo(0, 0);
    const start = document.createElement("span");
    start.setAttribute("tabindex", "-1");
    start.setAttribute("data-e2e-start", "");
    document.body.prepend(start);
    start.focus({ preventScroll: true });
  })()`);
}

/**
 * Presses Tab from the top of the page until focus leaves the document or
 * comes back round, recording each stop. Focus is left on nothing at the end.
 */
export async function walkTabOrder(page: Page, maxStops = 150): Promise<TabStop[]> {
  await page.evaluate(`document.querySelectorAll("[data-e2e-tab]").forEach((el) => el.removeAttribute("data-e2e-tab"))`);
  await focusTopOfDocument(page);

  const stops: TabStop[] = [];
  for (let i = 0; i < maxStops; i++) {
    await page.keyboard.press("Tab");
    if (i === 0) await page.evaluate(`document.querySelector("[data-e2e-start]")?.remove()`);
    const stop = (await page.evaluate(`(() => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return null;
      if (el.hasAttribute("data-e2e-tab")) return { repeat: true };
      el.setAttribute("data-e2e-tab", String(${i}));
      const d = (${DESCRIBE_SCRIPT})(el);
      const r = el.getBoundingClientRect();
      const onScreen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.left < innerWidth && r.top < innerHeight;
      return { ...d, focusedStyle: (${STYLE_SCRIPT})(el), onScreen };
    })()`)) as (Omit<TabStop, "index" | "unfocusedStyle" | "key"> & { key: string | null; repeat?: boolean }) | null;
    if (!stop || stop.repeat) break;
    stops.push({ ...stop, index: i, key: stop.key ?? `stop:${i}`, unfocusedStyle: "" });
  }

  await page.evaluate(`document.activeElement && document.activeElement.blur && document.activeElement.blur()`);
  const unfocused = (await page.evaluate(`[...document.querySelectorAll("[data-e2e-tab]")].map((el) => [Number(el.getAttribute("data-e2e-tab")), (${STYLE_SCRIPT})(el)])`)) as [
    number,
    string,
  ][];
  const byIndex = new Map(unfocused);
  for (const stop of stops) stop.unfocusedStyle = byIndex.get(stop.index) ?? "";
  return stops;
}

/** Every visible, enabled control on the page, keyed like TabStop.key. */
async function interactiveElements(page: Page): Promise<{ label: string; key: string; reached: boolean }[]> {
  return (await page.evaluate(`[...document.querySelectorAll(${JSON.stringify(INTERACTIVE)})]
    .filter((el) => !el.disabled && !el.closest("[inert]") && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden")
    .map((el) => {
      const d = (${DESCRIBE_SCRIPT})(el);
      return { label: d.label, key: d.key, reached: el.hasAttribute("data-e2e-tab") };
    })`)) as { label: string; key: string; reached: boolean }[];
}

export interface KeyboardReport {
  stops: TabStop[];
  /** Controls no Tab press reached. */
  unreachable: string[];
  /** Stops whose look did not change when focused. */
  invisibleFocus: string[];
  /** Stops that were focused while outside the window. */
  offScreen: string[];
}

export async function keyboardReport(page: Page): Promise<KeyboardReport> {
  const stops = await walkTabOrder(page);
  const reachedKeys = new Set(stops.map((s) => s.key));
  const controls = await interactiveElements(page);
  const unreachable = controls.filter((c) => !c.reached && !(c.key && reachedKeys.has(c.key))).map((c) => c.label);
  const invisibleFocus = stops.filter((s) => s.focusedStyle === s.unfocusedStyle || !s.focusedStyle).map((s) => `${s.label} (${s.focusedStyle})`);
  const offScreen = stops.filter((s) => !s.onScreen).map((s) => s.label);
  return { stops, unreachable, invisibleFocus, offScreen };
}

/**
 * Keyboard-only use: the first Tab stop is the skip link to #main, every
 * control is reachable, every stop shows a visible change when focused and is
 * scrolled into view.
 */
export async function expectKeyboardAccessible(page: Page): Promise<KeyboardReport> {
  const report = await keyboardReport(page);
  const first = report.stops[0];
  const problems: string[] = [];
  if (!first || first.tag !== "a" || first.href !== "#main") {
    problems.push(`the first Tab stop should be the skip link to #main, but is ${first ? first.label : "nothing"}`);
  }
  const list = (title: string, items: string[]) => {
    if (items.length > 0) problems.push(`${title}:\n${items.map((item) => `    ${item}`).join("\n")}`);
  };
  list("controls that Tab never reaches", report.unreachable);
  list("Tab stops with no visible focus indicator", report.invisibleFocus);
  list("Tab stops focused while off screen", report.offScreen);
  if (problems.length > 0) {
    const order = report.stops.map((stop) => `    ${stop.index + 1}. ${stop.label}`).join("\n");
    assert.fail(`keyboard problems on ${page.url()}:\n  ${problems.join("\n  ")}\n  Tab order was:\n${order}`);
  }
  return report;
}

/** Tab once and press Enter on the skip link: focus must land on <main>. */
export async function expectSkipLinkMovesFocus(page: Page): Promise<void> {
  await focusTopOfDocument(page);
  await page.keyboard.press("Tab");
  await page.evaluate(`document.querySelector("[data-e2e-start]")?.remove()`);
  await page.keyboard.press("Enter");
  await expect.poll(() => page.evaluate(`document.activeElement && document.activeElement.id`), { timeout: 2_000 }).toBe("main");
}
