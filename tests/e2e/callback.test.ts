// /callback in Chromium: the page checks in both languages, the error path
// without JavaScript (400, error summary linked to the fields, "Error:" in the
// title), the error summary taking focus with JavaScript, and a valid request
// ending on the confirmation with the number masked.
import type { Page } from "playwright-core";
import enCallback from "../../public/locales/en/callback.json";
import enCommon from "../../public/locales/en/common.json";
import zhCallback from "../../public/locales/zh-CN/callback.json";
import zhCommon from "../../public/locales/zh-CN/common.json";
import { setupBrowser } from "../support/browser";
import { checkCurrentPage, checkPage, type Lng } from "../support/check-page";

const { newPage } = setupBrowser();
const TEXT = {
  "zh-CN": { callback: zhCallback, common: zhCommon },
  en: { callback: enCallback, common: enCommon },
} as const;

async function submit(page: Page) {
  const [response] = await Promise.all([page.waitForNavigation(), page.locator('main form button[type="submit"]').click()]);
  return response;
}

describe.each(["zh-CN", "en"] as const)("/callback (%s)", (lng: Lng) => {
  const { callback, common } = TEXT[lng];

  it("passes the page checks with and without JavaScript", async () => {
    for (const javaScriptEnabled of [false, true]) {
      const page = await newPage({ javaScriptEnabled });
      await checkPage(page, "/callback", { lng });
      expect(await page.locator("h1").innerText()).toBe(callback.title);
      expect(await page.title()).toContain(callback.title);
      expect(await page.locator("a.language-link").count()).toBe(1);
    }
  });

  it("submitted empty without JavaScript: 400, an error summary linked to the field, and an accessible page", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`/callback?lng=${lng}`);
    const response = await submit(page);
    expect(response?.status()).toBe(400);
    expect(await page.title()).toMatch(new RegExp(`^${common.errorPrefix.trim()}`));

    const summary = page.locator(".error-summary");
    expect(await summary.count()).toBe(1);
    expect(await summary.getAttribute("tabindex")).toBe("-1");
    expect(await summary.locator("h2").innerText()).toBe(common.errorSummaryTitle);
    const link = summary.locator('a[href="#phone"]');
    expect(await link.innerText()).toBe(callback.phone.required);

    const phone = page.locator("#phone");
    expect(await phone.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await phone.getAttribute("aria-describedby"))?.split(/\s+/) ?? [];
    const errorIds = await Promise.all(describedBy.map(async (id) => [id, await page.locator(`[id="${id}"]`).innerText()] as const));
    expect(errorIds.some(([, text]) => text.includes(callback.phone.required))).toBe(true);

    await checkCurrentPage(page, { lng });

    // Following the summary's link puts the keyboard in the field.
    await link.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate("document.activeElement && document.activeElement.id")).toBe("phone");
  });

  it("submitted empty with JavaScript: the error summary takes focus", async () => {
    const page = await newPage();
    await page.goto(`/callback?lng=${lng}`, { waitUntil: "networkidle" });
    await page.locator('main form button[type="submit"]').click();
    await page.locator(".error-summary").waitFor();
    await expect.poll(() => page.evaluate("document.activeElement && document.activeElement.className")).toBe("error-summary");
    await checkCurrentPage(page, { lng });
  });

  it("submitted empty with JavaScript: the title starts with the error prefix too", async () => {
    const page = await newPage();
    await page.goto(`/callback?lng=${lng}`, { waitUntil: "networkidle" });
    await page.locator('main form button[type="submit"]').click();
    await page.locator(".error-summary").waitFor();
    await expect.poll(() => page.title()).toMatch(new RegExp(`^${common.errorPrefix.trim()}`));
  });

  it("a valid request without JavaScript ends on the confirmation, showing the number masked", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`/callback?lng=${lng}`);
    await page.locator("#phone").fill("138 1234 5678");
    await page.locator("#name").fill(lng === "en" ? "Test Person" : "测试");
    const response = await submit(page);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toMatch(/^\/callback\/done\/[^/]+$/);
    expect(await page.locator("h1").innerText()).toBe(callback.done.title);
    const main = await page.locator("main").innerText();
    expect(main).toContain("138****5678");
    expect(main).not.toContain("12345678");
    expect(await page.content()).not.toContain("13812345678");
    await checkCurrentPage(page, { lng });
  });
});
