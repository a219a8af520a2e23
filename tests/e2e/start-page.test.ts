// The start page, the "not found" page and the general error page in both
// languages: WCAG 2.2 AA by axe (colour contrast and target size included),
// the right <html lang>, no sideways scroll at 320 px, keyboard-only use, and
// no script errors or CSP refusals once the page has hydrated.
import enCommon from "../../public/locales/en/common.json";
import zhCommon from "../../public/locales/zh-CN/common.json";
import enHome from "../../public/locales/en/home.json";
import zhHome from "../../public/locales/zh-CN/home.json";
import { baseURL, setupBrowser } from "../support/browser";
import { checkPage, withLng, type Lng } from "../support/check-page";
import { expectSkipLinkMovesFocus } from "../support/layout";

const { open, newPage } = setupBrowser();

const LANGUAGES = [
  { lng: undefined, expected: "zh-CN", common: zhCommon, home: zhHome },
  { lng: "en", expected: "en", common: enCommon, home: enHome },
] as const satisfies readonly { lng: Lng | undefined; expected: Lng; common: unknown; home: unknown }[];

describe.each(LANGUAGES)("start page ($expected)", ({ lng, expected, common, home }) => {
  it("passes axe, reflows at 320 px and works by keyboard alone", async () => {
    const page = await newPage();
    await checkPage(page, "/", { lng });
    expect(await page.getAttribute("html", "lang")).toBe(expected);
    expect(await page.locator("h1").allInnerTexts()).toEqual([home.title]);
    expect(await page.title()).toContain(common.serviceName);
  });

  it("the skip link is the first Tab stop and moves focus to the main content", async () => {
    const page = await newPage();
    await page.goto(withLng("/", lng));
    await expectSkipLinkMovesFocus(page);
  });

  it("hydrates under the CSP without script errors", async () => {
    const { page, problems } = await open();
    await page.goto(withLng("/", lng), { waitUntil: "networkidle" });
    // Remix's inline context script runs only if the CSP nonce matches.
    expect(await page.evaluate("typeof window.__remixContext")).toBe("object");
    expect(problems).toEqual([]);
  });
});

describe.each(LANGUAGES)("not-found page ($expected)", ({ lng, expected, common }) => {
  it("answers 404 with an accessible page in the right language", async () => {
    const page = await newPage();
    await checkPage(page, "/no-such-page", { lng, status: 404 });
    expect(await page.getAttribute("html", "lang")).toBe(expected);
    expect(await page.locator("h1").allInnerTexts()).toEqual([common.errors.notFoundTitle]);
    expect(await page.locator('main a[href="/"]').innerText()).toBe(common.errors.goHome);
  });
});

describe.each(LANGUAGES)("error page ($expected)", ({ lng, common }) => {
  it("a request the page cannot handle gets the localized error page, without a stack trace", async () => {
    // Posting to a page that has no form handler is an error every page can
    // produce; it goes through the same error boundary as a server failure.
    const response = await fetch(`${baseURL()}${withLng("/", lng)}`, { method: "POST", body: new URLSearchParams({ x: "1" }) });
    expect(response.status).toBe(405);
    const html = await response.text();
    expect(html).toContain(`<h1>${common.errors.genericTitle}</h1>`);
    // Stack frames look like "    at fn (/path/file.ts:12:3)".
    expect(html).not.toMatch(/\n\s+at |node_modules|\.tsx?:\d+/);
    // Remix's own explanation is for developers, not for the person reading.
    expect(html.replace(/<script[\s\S]*?<\/script>/g, "")).not.toMatch(/did not provide|Method Not Allowed/);
  });
});
