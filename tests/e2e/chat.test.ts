// /chat in Chromium, in both languages: the standard page checks (axe, 320 px,
// keyboard walk) on an empty and on a running conversation, with and without
// JavaScript; without JavaScript a whole exchange through the plain forms
// (hello → the menu → an option → its reply; the empty message refused with
// 400 and an error summary); with JavaScript, keyboard only, a message sent
// with Enter is answered in the live region without reloading the page, focus
// staying in the text field, and a quick answer chosen the same way.
import type { Page } from "playwright-core";
import enChat from "../../public/locales/en/chat.json";
import enCommon from "../../public/locales/en/common.json";
import zhChat from "../../public/locales/zh-CN/chat.json";
import zhCommon from "../../public/locales/zh-CN/common.json";
import { setupBrowser } from "../support/browser";
import { checkCurrentPage, checkPage, type Lng } from "../support/check-page";

const { newPage } = setupBrowser();
const TEXT = {
  "zh-CN": { chat: zhChat, common: zhCommon, hello: "你好" },
  en: { chat: enChat, common: enCommon, hello: "hello" },
} as const;

const botLines = (page: Page) => page.locator('[role="log"] li.from-bot');
const residentLines = (page: Page) => page.locator('[role="log"] li.from-resident');

/** Submits a plain form (JavaScript off) and returns the final document's status. */
async function submitWith(page: Page, action: () => Promise<void>): Promise<number | undefined> {
  const [response] = await Promise.all([page.waitForNavigation(), action()]);
  return response?.status();
}

/** Tabs (only the keyboard) until the message field has focus; fails after 40 stops. */
async function tabToMessageField(page: Page): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate("document.activeElement && document.activeElement.id")) === "chat-message") return;
  }
  throw new Error("Tab never reached the message field");
}

describe.each(["zh-CN", "en"] as const)("/chat (%s)", (lng: Lng) => {
  const { chat, common, hello } = TEXT[lng];

  it("passes the page checks, empty and mid-conversation, with and without JavaScript", async () => {
    for (const javaScriptEnabled of [false, true]) {
      const page = await newPage({ javaScriptEnabled });
      await checkPage(page, "/chat", { lng });
      expect(await page.locator("h1").innerText()).toBe(chat.title);
      expect(await page.title()).toContain(chat.title);
      const log = page.locator('[role="log"]');
      expect(await log.getAttribute("aria-live")).toBe("polite");
      expect(await page.locator('main a[href="/callback"]').innerText()).toBe(chat.person.callback);
      expect(await page.locator("label[for=chat-message]").innerText()).toBe(chat.message.label);
      expect(await page.locator("#chat-message").getAttribute("autocomplete")).toBe("off");

      // A conversation with bubbles and quick answers passes too.
      const request = await page.request.post(`/chat/send?lng=${lng}`, { form: { text: hello } });
      expect(request.status()).toBe(200);
      await checkPage(page, "/chat", { lng });
      expect(await botLines(page).count()).toBeGreaterThan(0);
      expect(await residentLines(page).first().locator(".chat-who").innerText()).toBe(chat.from.resident);
      expect(await botLines(page).first().locator(".chat-who").innerText()).toBe(chat.from.bot);
    }
  });

  it("without JavaScript: hello → the menu → an option → its reply, each by a plain form post that lands on #latest", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`/chat?lng=${lng}`);
    expect(await botLines(page).count()).toBe(0);

    await page.locator("#chat-message").fill(hello);
    expect(await submitWith(page, () => page.locator("#chat-message").press("Enter"))).toBe(200);
    expect(new URL(page.url()).hash).toBe("#latest");
    expect(await residentLines(page).last().locator(".chat-text").innerText()).toBe(hello);
    const afterHello = await botLines(page).count();
    expect(afterHello).toBeGreaterThan(0);
    // The newest line is the #latest target.
    expect(await page.locator("#latest").getAttribute("class")).toContain("from-bot");
    await checkCurrentPage(page, { lng });

    // Choose the first option: its quick answer button when there is one, else its number.
    const quick = page.locator("button.chat-quick-reply");
    let chosen = "1";
    if ((await quick.count()) > 0) {
      chosen = (await quick.first().getAttribute("value")) ?? "";
      expect(await submitWith(page, () => quick.first().click())).toBe(200);
    } else {
      await page.locator("#chat-message").fill("1");
      expect(await submitWith(page, () => page.locator("main form.chat-form button[type=submit]").click())).toBe(200);
    }
    expect(await residentLines(page).last().locator(".chat-text").innerText()).toBe(chosen);
    expect(await botLines(page).count()).toBeGreaterThan(afterHello);
    const reply = await botLines(page).last().locator(".chat-text").innerText();
    expect(reply.trim()).not.toBe("");

    // Reloading does not send the last message again.
    const lines = await page.locator('[role="log"] li').count();
    await page.reload();
    expect(await page.locator('[role="log"] li').count()).toBe(lines);
  });

  it("without JavaScript: an empty message gets 400, an error summary linked to the field, and an accessible page", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`/chat?lng=${lng}`);
    expect(await submitWith(page, () => page.locator("main form.chat-form button[type=submit]").click())).toBe(400);
    expect(await page.title()).toMatch(new RegExp(`^${common.errorPrefix.trim()}`));
    expect(await page.locator('.error-summary a[href="#chat-message"]').innerText()).toBe(chat.errors.empty);
    expect(await page.locator("#chat-message").getAttribute("aria-invalid")).toBe("true");
    await checkCurrentPage(page, { lng });
  });

  it("with JavaScript, keyboard only: Enter sends, the reply appears in the live region without a reload, focus stays in the field", async () => {
    const page = await newPage();
    await page.goto(`/chat?lng=${lng}`, { waitUntil: "networkidle" });
    await checkCurrentPage(page, { lng, keyboard: false });
    await page.evaluate("window.__sameDocument = true");
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.evaluate("document.activeElement && document.activeElement.blur()");

    await tabToMessageField(page);
    await page.keyboard.type(hello);
    await page.keyboard.press("Enter");
    await botLines(page).first().waitFor();
    expect(await page.evaluate("window.__sameDocument")).toBe(true);
    expect(await residentLines(page).first().locator(".chat-text").innerText()).toBe(hello);
    expect(await page.evaluate("document.activeElement && document.activeElement.id")).toBe("chat-message");
    expect(await page.inputValue("#chat-message")).toBe("");
    const afterHello = await botLines(page).count();

    // A quick answer, reached with Shift+Tab from the field, is sent the same way.
    const quick = page.locator("button.chat-quick-reply");
    if ((await quick.count()) > 0) {
      await page.keyboard.press("Shift+Tab");
      const value = await page.evaluate("document.activeElement && document.activeElement.value");
      expect(await page.evaluate("document.activeElement && document.activeElement.className")).toContain("chat-quick-reply");
      await page.keyboard.press("Enter");
      await expect.poll(() => botLines(page).count()).toBeGreaterThan(afterHello);
      expect(await residentLines(page).last().locator(".chat-text").innerText()).toBe(value);
    } else {
      await page.keyboard.type("1");
      await page.keyboard.press("Enter");
      await expect.poll(() => botLines(page).count()).toBeGreaterThan(afterHello);
    }
    expect(await page.evaluate("window.__sameDocument")).toBe(true);
    expect(await page.evaluate("document.activeElement && document.activeElement.id")).toBe("chat-message");

    // An empty Enter shows the error without sending anything.
    const lines = await page.locator('[role="log"] li').count();
    await page.keyboard.press("Enter");
    await page.locator(".error-summary").waitFor();
    expect(await page.locator('.error-summary a[href="#chat-message"]').innerText()).toBe(chat.errors.empty);
    expect(await page.locator('[role="log"] li').count()).toBe(lines);

    // The page reloaded shows the same conversation: one conversation for both ways.
    await page.reload({ waitUntil: "networkidle" });
    expect(await page.locator('[role="log"] li').count()).toBe(lines);
  });

  it("with JavaScript, when the script's request fails the message is posted the plain way and nothing is lost", async () => {
    const page = await newPage();
    await page.goto(`/chat?lng=${lng}`, { waitUntil: "networkidle" });
    await page.route("**/chat/send**", (route) => route.abort());
    await page.locator("#chat-message").fill(hello);
    const status = await submitWith(page, () => page.locator("#chat-message").press("Enter"));
    expect(status).toBe(200);
    expect(new URL(page.url()).hash).toBe("#latest");
    expect(await residentLines(page).locator(".chat-text").allInnerTexts()).toEqual([hello]);
    expect(await botLines(page).count()).toBeGreaterThan(0);
  });
});
