// Without JavaScript (old phones, data saving, scripts blocked) the pages are
// complete server-rendered HTML: same content, same checks, working links.
import enHome from "../../public/locales/en/home.json";
import zhHome from "../../public/locales/zh-CN/home.json";
import { setupBrowser } from "../support/browser";
import { checkPage } from "../support/check-page";

const { newPage } = setupBrowser();

describe("start page without JavaScript", () => {
  it.each([
    ["zh-CN", zhHome],
    ["en", enHome],
  ] as const)("is complete and accessible in %s", async (lng, home) => {
    const page = await newPage({ javaScriptEnabled: false });
    await checkPage(page, "/", { lng: lng === "en" ? "en" : undefined });
    // Proof that no script ran: Remix never set up its client state.
    expect(await page.evaluate("typeof window.__remixContext")).toBe("undefined");
    expect(await page.locator("h1").innerText()).toBe(home.title);
    expect(await page.locator("main").innerText()).toContain(home.privacy.body);
  });

  it("offers the check and the call-back request as plain links", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto("/?lng=en");
    const start = page.getByRole("link", { name: enHome.startCheck });
    expect(await start.getAttribute("href")).toBe("/check");
    expect(await page.locator('main a[href="/callback"]').count()).toBe(1);
  });

  it("the skip link works without script", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto("/");
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement.className")).toBe("skip-link");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate("document.activeElement && document.activeElement.id")).toBe("main");
    expect(new URL(page.url()).hash).toBe("#main");
  });
});
