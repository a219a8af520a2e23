// The start page as most visitors get it: rendered once per language and sent
// from memory (app/server/shared-pages.ts). It must be the same page as a
// per-visit render, hydrate under a CSP that allows its inline scripts by
// hash, never be shared with a visitor who has a session, and never hand one
// visitor's repeat token to another.
import crypto from "node:crypto";
import enHome from "../../public/locales/en/home.json";
import zhHome from "../../public/locales/zh-CN/home.json";
import { baseURL, setupBrowser, waitForPageReady } from "../support/browser";
import { checkCurrentPage } from "../support/check-page";

const { open } = setupBrowser();

function scriptSources(csp: string | null): string[] {
  const directive = (csp ?? "").split(";").find((part) => part.trim().startsWith("script-src"));
  return directive?.trim().split(/\s+/).slice(1) ?? [];
}

function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(([, attributes]) => !/\bsrc=/.test(attributes)).map(([, , content]) => content);
}

const get = (headers: Record<string, string> = {}, path = "/") => fetch(`${baseURL()}${path}`, { headers: { "Accept-Language": "zh-CN", ...headers } });

describe("the shared start page over HTTP", () => {
  it("is the same bytes for every anonymous visitor, with its inline scripts allowed by hash and no nonce", async () => {
    const [first, second] = await Promise.all([get({ "Accept-Encoding": "identity" }), get({ "Accept-Encoding": "identity" })]);
    expect(first.status).toBe(200);
    const html = await first.text();
    expect(await second.text()).toBe(html);
    expect(first.headers.get("etag")).toBe(second.headers.get("etag"));
    expect(html).not.toContain("nonce=");

    const sources = scriptSources(first.headers.get("content-security-policy"));
    expect(sources).toContain("'self'");
    expect(sources.some((source) => source.startsWith("'nonce-") || source === "'unsafe-inline'")).toBe(false);
    const scripts = inlineScripts(html);
    expect(scripts.length).toBeGreaterThanOrEqual(2); // Remix's context and its module loader at least
    const hashes = scripts.map((content) => `'sha256-${crypto.createHash("sha256").update(content, "utf8").digest("base64")}'`);
    expect(sources.filter((source) => source.startsWith("'sha256-")).sort()).toEqual([...new Set(hashes)].sort());
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("vary")).toMatch(/Cookie/);
  });

  it("holds no repeat token and no cookie", async () => {
    const response = await get();
    expect(response.headers.get("set-cookie")).toBeNull();
    const html = await response.text();
    expect(html).toContain('"once":""');
    expect(html).not.toContain('name="_once"');
  });

  it("sends brotli and gzip that unpack to the same page, answers HEAD without a body and a revisit with 304", async () => {
    const plain = await (await get({ "Accept-Encoding": "identity" })).text();
    for (const encoding of ["br", "gzip"]) {
      const response = await get({ "Accept-Encoding": encoding });
      expect(response.headers.get("content-encoding"), encoding).toBe(encoding);
      expect(await response.text(), encoding).toBe(plain); // fetch unpacks it
    }
    const head = await fetch(`${baseURL()}/`, { method: "HEAD", headers: { "Accept-Language": "zh-CN" } });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const etag = head.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get({ "If-None-Match": etag });
    expect(again.status).toBe(304);
  });

  it("follows the language: Accept-Language and the lng cookie each get their own page", async () => {
    const english = await (await get({ "Accept-Language": "en-GB,en;q=0.9" })).text();
    expect(english).toContain('<html lang="en"');
    expect(english).toContain(enHome.title);
    const chinese = await (await get({ "Accept-Language": "en", Cookie: `lng=${encodeURIComponent(btoa(JSON.stringify("zh-CN")))}` })).text();
    expect(chinese).toContain('<html lang="zh-CN"');
    expect(chinese).toContain(zhHome.title);
  });

  it("is rendered for the visit, with a fresh nonce, for anyone with another cookie or a query", async () => {
    for (const response of [await get({ Cookie: "staff_session=abc" }), await get({}, "/?lng=en")]) {
      expect(response.status).toBe(200);
      const nonce = scriptSources(response.headers.get("content-security-policy")).find((source) => source.startsWith("'nonce-"));
      expect(nonce).toBeDefined();
      const html = await response.text();
      expect(html).toContain(`nonce="${nonce!.slice("'nonce-".length, -1)}"`);
      expect(html).not.toContain('"once":""');
    }
  });
});

describe.each([
  { locale: "zh-CN", lng: "zh-CN" as const, title: zhHome.title },
  { locale: "en", lng: "en" as const, title: enHome.title },
])("the shared start page in Chromium ($locale)", ({ locale, lng, title }) => {
  it("hydrates under its hash-based CSP without a script error and passes the page checks", async () => {
    const { page, problems } = await open({ locale });
    const response = await page.goto("/", { waitUntil: "load" });
    expect(scriptSources(response!.headers()["content-security-policy"]).some((source) => source.startsWith("'sha256-"))).toBe(true);
    await waitForPageReady(page);
    expect(await page.evaluate("typeof window.__remixContext")).toBe("object");
    expect(await page.locator("h1").innerText()).toBe(title);
    await checkCurrentPage(page, { lng });
    expect(problems).toEqual([]);
  });
});

describe("a visitor who came in through the shared page", () => {
  it("gets a repeat token of their own on the first page they move to", async () => {
    const tokens: string[] = [];
    for (const locale of ["zh-CN", "en"]) {
      const { page, problems } = await open({ locale });
      await page.goto("/", { waitUntil: "load" });
      await waitForPageReady(page);
      // A client-side move (as a Remix link would make), not a full page load.
      await page.evaluate('window.__remixRouter.navigate("/callback")');
      await page.waitForURL("**/callback");
      // Remix shows the new page only when all its loaders (the root's included) have answered.
      await page.locator('form[method="post"]').first().waitFor({ state: "attached" });
      const fields = page.locator('form[method="post"] input[name="_once"]');
      expect(await fields.count()).toBeGreaterThan(0);
      tokens.push((await fields.first().getAttribute("value")) ?? "");
      expect(problems).toEqual([]);
    }
    expect(tokens[0]).toMatch(/\S{16,}/);
    expect(tokens[1]).toMatch(/\S{16,}/);
    expect(tokens[0]).not.toBe(tokens[1]);
  });
});
