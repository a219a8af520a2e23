// Choosing the language (contract: ?lng=, then the cookie, then
// Accept-Language; zh-CN by default) and the switcher link on every page.
import enCommon from "../../public/locales/en/common.json";
import zhCommon from "../../public/locales/zh-CN/common.json";
import { baseURL, setupBrowser } from "../support/browser";

const { newPage } = setupBrowser();

async function htmlLang(response: Response): Promise<string | undefined> {
  return (await response.text()).match(/<html[^>]*\slang="([^"]+)"/)?.[1];
}

describe("language from the browser's Accept-Language", () => {
  it.each([
    ["en-US", "en"],
    ["en-GB,en;q=0.9", "en"],
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"],
    ["zh-TW", "zh-CN"],
    ["zh", "zh-CN"],
    ["fr-FR", "zh-CN"],
  ])("%s gives %s", async (header, expected) => {
    const response = await fetch(`${baseURL()}/`, { headers: { "Accept-Language": header } });
    expect(response.status).toBe(200);
    expect(await htmlLang(response)).toBe(expected);
  });

  it("no Accept-Language at all gives zh-CN", async () => {
    const response = await fetch(`${baseURL()}/`, { headers: { "Accept-Language": "" } });
    expect(await htmlLang(response)).toBe("zh-CN");
  });

  it("a browser set to English gets English pages", async () => {
    const page = await newPage({ locale: "en-US" });
    await page.goto("/");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.locator(".skip-link").innerText()).toBe(enCommon.skipToContent);
  });
});

describe("?lng= overrides the browser and is remembered", () => {
  it("?lng=en on a Chinese browser gives English, and the next page stays English", async () => {
    const page = await newPage({ locale: "zh-CN" });
    await page.goto("/?lng=en");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    const cookies = await page.context().cookies();
    expect(cookies.find((cookie) => cookie.name === "lng")).toBeDefined();

    await page.goto("/");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.locator(".skip-link").innerText()).toBe(enCommon.skipToContent);
  });

  it("?lng=zh-CN on an English browser gives Chinese, and it sticks", async () => {
    const page = await newPage({ locale: "en-US" });
    await page.goto("/?lng=zh-CN");
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    await page.goto("/");
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
  });

  it("an unknown ?lng= is ignored", async () => {
    const response = await fetch(`${baseURL()}/?lng=xx`, { headers: { "Accept-Language": "en" } });
    expect(await htmlLang(response)).toBe("en");
    expect(response.headers.get("set-cookie") ?? "").not.toMatch(/\blng=/);
  });
});

describe("the language switcher", () => {
  // The switcher is in the shared layout; these cover plain pages, a form and the 404 page.
  const PAGES = ["/", "/check", "/callback", "/no-such-page"];

  it.each(PAGES)("is on %s, names the other language in that language, and switches (without JavaScript)", async (path) => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(path);
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    const toEnglish = page.locator("a.language-link");
    expect(await toEnglish.innerText()).toBe(zhCommon.language.switchTo.en);
    expect(await toEnglish.getAttribute("lang")).toBe("en");
    expect(await toEnglish.getAttribute("hreflang")).toBe("en");

    await toEnglish.click();
    await page.waitForURL((url) => url.searchParams.get("lng") === "en");
    expect(new URL(page.url()).pathname).toBe(path);
    expect(await page.getAttribute("html", "lang")).toBe("en");
    const toChinese = page.locator("a.language-link");
    expect(await toChinese.innerText()).toBe(enCommon.language.switchTo["zh-CN"]);

    await toChinese.click();
    await page.waitForURL((url) => url.searchParams.get("lng") === "zh-CN");
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
  });

  it("keeps the rest of the query string", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto("/?from=sms&lng=zh-CN");
    const href = await page.locator("a.language-link").getAttribute("href");
    const target = new URL(href!, baseURL());
    expect(target.searchParams.get("from")).toBe("sms");
    expect(target.searchParams.get("lng")).toBe("en");
  });
});
