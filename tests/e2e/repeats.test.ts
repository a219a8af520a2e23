// The repeat token on the real server: the page's form carries it from the
// server render, hydration keeps the same value (no mismatch), and the same
// form posted twice over HTTP (a browser's "resend") gets the first redirect
// again while a new page load brings a new token.
import { baseURL, setupBrowser } from "../support/browser";

const { newPage } = setupBrowser();
const ONCE = /name="_once" value="([A-Za-z0-9_-]{16,64})"/;

async function tokenOf(path: string): Promise<string> {
  const html = await (await fetch(`${baseURL()}${path}`)).text();
  const match = html.match(ONCE);
  expect(match, `${path} has a repeat token`).not.toBeNull();
  return match![1];
}

function post(once: string, phone: string) {
  return fetch(`${baseURL()}/callback?lng=en`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseURL() },
    body: new URLSearchParams({ _once: once, phone, name: "", reason: "" }),
  });
}

describe("repeat token", () => {
  it("is new on each page load, and a resent form gets the first answer", async () => {
    const once = await tokenOf("/callback?lng=en");
    expect(await tokenOf("/callback?lng=en")).not.toBe(once);
    const first = await post(once, "13812399001");
    const second = await post(once, "13812399001");
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    const other = await post(await tokenOf("/callback?lng=en"), "13812399001");
    expect(other.headers.get("location")).not.toBe(first.headers.get("location"));
  });

  it("keeps the server's value through hydration", async () => {
    const page = await newPage({ javaScriptEnabled: true });
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    const response = await page.goto("/callback?lng=en");
    const served = (await response!.text()).match(ONCE)![1];
    await page.waitForFunction(() => (window as unknown as { __remixContext?: unknown }).__remixContext !== undefined);
    await page.waitForLoadState("networkidle");
    expect(await page.locator('main form input[name="_once"]').inputValue()).toBe(served);
    expect(errors.filter((e) => /hydrat|did not match/i.test(e))).toEqual([]);
  });
});
