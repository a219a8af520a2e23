// /dev/sms (the demo server runs with DEMO=1) in Chromium: page checks in both
// languages with and without JavaScript, the form's redirect to the inbox, and
// a bad number's 400 with an error summary linked to the field.
import type { Page } from "playwright-core";
import enDevsms from "../../public/locales/en/devsms.json";
import zhDevsms from "../../public/locales/zh-CN/devsms.json";
import { setupBrowser } from "../support/browser";
import { checkCurrentPage, checkPage, type Lng } from "../support/check-page";

const { newPage } = setupBrowser();
const TEXT = { "zh-CN": zhDevsms, en: enDevsms } as const;

async function submit(page: Page) {
  const [response] = await Promise.all([page.waitForNavigation(), page.locator('main form button[type="submit"]').click()]);
  return response;
}

describe.each(["zh-CN", "en"] as const)("/dev/sms (%s)", (lng: Lng) => {
  const devsms = TEXT[lng];

  it("passes the page checks, and the form opens the inbox of the number, with and without JavaScript", async () => {
    for (const javaScriptEnabled of [false, true]) {
      const page = await newPage({ javaScriptEnabled });
      await checkPage(page, "/dev/sms", { lng });
      expect(await page.locator("h1").innerText()).toBe(devsms.title);
      await page.locator("#phone").fill("139 0000 0000");
      if (javaScriptEnabled) {
        await page.locator('main form button[type="submit"]').click();
        await page.waitForURL(/phone=/);
      } else {
        expect((await submit(page))?.status()).toBe(200);
      }
      expect(new URL(page.url()).searchParams.get("phone")).toBe("+8613900000000");
      await page.locator(".sms-phone").waitFor();
      expect(await page.locator(".sms-phone h2").innerText()).toContain("139****0000");
      await checkCurrentPage(page, { lng });
    }
  });

  it("a bad number without JavaScript: 400 and an error summary linked to the field", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`/dev/sms?lng=${lng}`);
    await page.locator("#phone").fill("12");
    expect((await submit(page))?.status()).toBe(400);
    expect(await page.locator('.error-summary a[href="#phone"]').count()).toBe(1);
    expect(await page.locator("#phone").getAttribute("aria-invalid")).toBe("true");
    await checkCurrentPage(page, { lng });
  });
});
