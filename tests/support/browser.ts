// Debian's Chromium driven by playwright-core: one browser per test file,
// pages with a chosen language, window size and JavaScript on or off, starting
// with no cookies, and a record of script errors and CSP refusals so tests can
// assert there were none.
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, inject } from "vitest";

export const CHROMIUM_PATH = "/usr/bin/chromium";

// Flags that keep Chromium quiet and off the (closed) network.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface PageOptions {
  /** false renders the server's HTML only, as for a person without script. */
  javaScriptEnabled?: boolean;
  /** Sent as Accept-Language and used as navigator.language. */
  locale?: string;
  viewport?: { width: number; height: number };
}

export interface TestPage {
  page: Page;
  /** Shared with other pages of the same test that use the same options. */
  context: BrowserContext;
  /** Uncaught script errors and console errors (CSP refusals land here) seen so far. */
  problems: string[];
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** The running e2e server's address (tests/support/e2e-server.ts). */
export function baseURL(): string {
  return inject("baseURL");
}

const DEFAULT_VIEWPORT = { width: 1024, height: 768 };

// JavaScript is switched off per page (pageIn), so contexts differ only by locale.
function contextOptions(options: PageOptions) {
  return { baseURL: baseURL(), locale: options.locale ?? "zh-CN" };
}

/**
 * A made-up private client address (in 10.0.0.0/8) for one test's pages. The server trusts X-Forwarded-For from
 * loopback only (app/server/app.ts), so each test counts as a resident of its
 * own against the per-address abuse limits (call-backs, codes, chat, sign-in),
 * as real visitors would; without it, a whole run from 127.0.0.1 meets those
 * limits once the suite is long enough, and tests fail for the order they ran in.
 */
export function freshClientAddress(): string {
  const octet = () => Math.floor(Math.random() * 254) + 1;
  return `10.${octet()}.${octet()}.${octet()}`;
}

async function withOwnAddress(context: BrowserContext): Promise<BrowserContext> {
  await context.setExtraHTTPHeaders({ "X-Forwarded-For": freshClientAddress() });
  return context;
}

// Pages opened with JavaScript off, with the DevTools session that turned it
// off. Playwright's own `javaScriptEnabled: false` cannot be lifted for a
// moment, and axe needs timers to run (see withScriptsFor).
const scriptless = new WeakMap<Page, CDPSession>();

/**
 * Runs `work` with script execution allowed on a page opened with JavaScript
 * off, then turns it off again. The page's own scripts were skipped while it
 * loaded and do not run now; this only lets test tooling such as axe use
 * timers and promises, which never fire on a script-disabled page.
 */
export async function withScriptsFor<T>(page: Page, work: () => Promise<T>): Promise<T> {
  const cdp = scriptless.get(page);
  if (!cdp) return work();
  await cdp.send("Emulation.setScriptExecutionDisabled", { value: false });
  try {
    return await work();
  } finally {
    await cdp.send("Emulation.setScriptExecutionDisabled", { value: true });
  }
}

const HYDRATION_TIMEOUT_MS = 15_000;

// Each page's problems list (see TestPage.problems), for error messages here.
const problemsOf = new WeakMap<Page, string[]>();

/**
 * Waits until a page with JavaScript has finished hydrating, so checks and
 * key presses meet the page a person would use (React may re-render the
 * document while hydrating, which moves focus). Pages without script, or
 * without Remix's client context, are ready once loaded. A page whose
 * scripts fail never hydrates, and this says so.
 */
export async function waitForPageReady(page: Page): Promise<void> {
  await page.waitForLoadState("load");
  if (scriptless.has(page)) return;
  // Polled from here: Playwright's waitForFunction evaluates its predicate
  // inside the page, which the page's CSP (no 'unsafe-eval') refuses.
  const hydrated = `(() => {
    if (!window.__remixContext) return true;
    // React tags each element it hydrates; the footer comes last in every page's layout.
    const last = document.querySelector("footer") || document.querySelector("main");
    return !!last && Object.keys(last).some((key) => key.startsWith("__reactFiber$"));
  })()`;
  const deadline = Date.now() + HYDRATION_TIMEOUT_MS;
  let lastError: unknown = null;
  for (;;) {
    try {
      if (await page.evaluate(hydrated)) break;
    } catch (error) {
      // A navigation in progress destroys the context; try again.
      lastError = error;
    }
    if (Date.now() > deadline) {
      const seen = problemsOf.get(page) ?? [];
      throw new Error(
        `${page.url()} did not hydrate within ${HYDRATION_TIMEOUT_MS / 1000} s. ` +
          (seen.length > 0
            ? `The browser saw:\n  ${seen.join("\n  ")}\n(Missing /build/ files usually mean \`remix build\` ran again in this tree during the test.)`
            : "No script error was seen."),
        { cause: lastError },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Let React commit and run its effects (e.g. focusing an error summary).
  await page.evaluate("new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))))");
}

async function pageIn(context: BrowserContext, options: PageOptions): Promise<TestPage> {
  const page = await context.newPage();
  if (options.javaScriptEnabled === false) {
    // The same switch Playwright uses; it holds across navigations of this page.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setScriptExecutionDisabled", { value: true });
    scriptless.set(page, cdp);
  }
  await page.setViewportSize(options.viewport ?? DEFAULT_VIEWPORT);
  const problems: string[] = [];
  problemsOf.set(page, problems);
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 400 && new URL(response.url()).pathname.startsWith("/build/")) problems.push(`missing asset: ${response.status()} ${response.url()}`);
  });
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  return { page, context, problems };
}

/** A page in a brand-new context (no cookies), for use outside setupBrowser. The caller closes the context. */
export async function openPage(browser: Browser, options: PageOptions = {}): Promise<TestPage> {
  return pageIn(await withOwnAddress(await browser.newContext(contextOptions(options))), options);
}

/**
 * Registers hooks for one browser shared by the test file and returns
 * `newPage`/`open`, which open a page with no cookies. Contexts are costly to
 * create on a small machine, so one is kept per locale; after each test its
 * pages are closed, its cookies cleared and its client address changed
 * (freshClientAddress), so every test starts clean. Pages opened within one
 * test with the same locale share cookies and address.
 */
export function setupBrowser(): { newPage: (options?: PageOptions) => Promise<Page>; open: (options?: PageOptions) => Promise<TestPage> } {
  let browser: Browser | null = null;
  const contexts = new Map<string, Promise<BrowserContext>>();

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const pending of contexts.values()) {
      const context = await pending;
      await Promise.all(context.pages().map((page) => page.close()));
      await context.clearCookies();
      await withOwnAddress(context);
    }
  });
  afterAll(async () => {
    contexts.clear();
    await browser?.close();
    browser = null;
  });

  const open = async (options: PageOptions = {}) => {
    if (!browser) throw new Error("setupBrowser(): the browser is not running (open pages inside a test or hook)");
    const settings = contextOptions(options);
    const key = JSON.stringify(settings);
    let context = contexts.get(key);
    if (!context) {
      context = browser.newContext(settings).then(withOwnAddress);
      contexts.set(key, context);
    }
    return pageIn(await context, options);
  };
  return {
    open,
    newPage: async (options?: PageOptions) => (await open(options)).page,
  };
}

/** Old name of setupBrowser (not a React hook, and the hooks lint rule says so). */
export const useBrowser = setupBrowser;
