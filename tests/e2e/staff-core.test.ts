// Staff sign-in and the admin pages in Chromium: the login page and its error
// state pass the page checks (axe WCAG 2.2 AA, 320 px, keyboard) in zh-CN and
// en; a person signs in with the keyboard only and lands on the page they
// asked for; without JavaScript an admin signs in, makes an API token (shown
// once), stays signed in with the plain form and signs out. With JavaScript,
// 2 minutes before the idle limit a warning takes focus and extends the session.
import type { Page } from "playwright-core";
import enAdmin from "../../public/locales/en/admin.json";
import enStaff from "../../public/locales/en/staff.json";
import zhAdmin from "../../public/locales/zh-CN/admin.json";
import zhStaff from "../../public/locales/zh-CN/staff.json";
import { expectNoAxeViolations } from "../support/axe";
import { setupBrowser, waitForPageReady } from "../support/browser";
import { checkCurrentPage, checkPage, withLng, type Lng } from "../support/check-page";

const { open } = setupBrowser();
const STAFF = { "zh-CN": zhStaff, en: enStaff } as const;
const ADMIN = { "zh-CN": zhAdmin, en: enAdmin } as const;
const DEMO_PASSWORD = "lifeline-demo-2026";
const LANGUAGES: Lng[] = ["zh-CN", "en"];

async function submitAndWait(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation(), page.locator(selector).click()]);
}

describe.each(LANGUAGES)("in %s", (lng) => {
  it("the login page and its error state pass the page checks", async () => {
    const { page } = await open({ javaScriptEnabled: false });
    await checkPage(page, "/staff/login", { lng });
    expect(await page.textContent("h1")).toBe(STAFF[lng].login.title);
    await submitAndWait(page, 'main form button[type="submit"]');
    await checkCurrentPage(page, { lng });
    const summary = await page.textContent(".error-summary");
    expect(summary).toContain(STAFF[lng].login.errors.usernameMissing);
    expect(summary).toContain(STAFF[lng].login.errors.passwordMissing);
    expect(await page.getAttribute("#password", "aria-invalid")).toBe("true");
  });

  it("without JavaScript an admin signs in, makes a token shown once, stays signed in and signs out", async () => {
    const { page } = await open({ javaScriptEnabled: false });
    await page.goto(withLng("/staff/login?next=%2Fstaff%2Fadmin%2Ftokens", lng));
    await page.fill("#username", "admin");
    await page.fill("#password", DEMO_PASSWORD);
    await submitAndWait(page, 'main form button[type="submit"]');
    expect(new URL(page.url()).pathname).toBe("/staff/admin/tokens");
    await checkCurrentPage(page, { lng });

    const name = `E2E token ${lng} ${Date.now()}`;
    await page.fill("#name", name);
    await page.check('input[name="scope"][value="staff"]');
    await submitAndWait(page, 'main form:has(#name) button[type="submit"]');
    await checkCurrentPage(page, { lng });
    const token = (await page.textContent("#new-token"))?.trim() ?? "";
    expect(token).toMatch(/^ll_/);
    // It works on the staff API...
    const api = await page.request.get("/api/v1/staff/callbacks", { headers: { Authorization: `Bearer ${token}` } });
    expect(api.status()).toBe(200);
    // ...and is never shown again.
    await page.goto(withLng("/staff/admin/tokens", lng));
    expect(await page.content()).not.toContain(token);

    await checkPage(page, "/staff/admin/staff", { lng });
    expect(await page.textContent("h1")).toBe(ADMIN[lng].staff.title);

    // "Stay signed in" is a plain form and comes back to the same page.
    await submitAndWait(page, ".staff-session button");
    expect(new URL(page.url()).pathname).toBe("/staff/admin/staff");

    await submitAndWait(page, ".staff-signout button");
    expect(new URL(page.url()).pathname).toBe("/staff/login");
    expect(await page.textContent(".notice")).toContain(STAFF[lng].login.signedOut);
    const back = await page.goto("/staff/admin/staff");
    expect(new URL(page.url()).pathname).toBe("/staff/login");
    expect(back?.status()).toBe(200);
  });
});

it("a caseworker signs in with the keyboard only and lands on the page asked for; admin pages answer 403", async () => {
  const { page } = await open({ locale: "en" });
  await page.goto("/staff/login?next=%2Fstaff%2Fadmin%2Fstaff&lng=en");
  await checkCurrentPage(page, { lng: "en" });
  await page.evaluate("document.activeElement && document.activeElement.blur()");
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate("document.activeElement && document.activeElement.id")) === "username") break;
  }
  expect(await page.evaluate("document.activeElement && document.activeElement.id")).toBe("username");
  await page.keyboard.type("caseworker");
  await page.keyboard.press("Tab");
  expect(await page.evaluate("document.activeElement && document.activeElement.id")).toBe("password");
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press("Enter");
  // A caseworker may not manage accounts: the staff frame says so.
  await expect.poll(() => page.textContent("h1"), { timeout: 10_000 }).toBe(enStaff.errors["403"].title);
  expect(new URL(page.url()).pathname).toBe("/staff/admin/staff");
  expect(await page.textContent(".staff-who")).toContain("caseworker");
  const direct = await page.goto("/staff/admin/staff?lng=en");
  expect(direct?.status()).toBe(403);
  await checkCurrentPage(page, { lng: "en" });
});

// The page reacts to the moved clock within a render; a busy CI machine may take a few seconds.
const POLL = { timeout: 10_000 };

it("with JavaScript, a warning 2 minutes before the idle limit takes focus and 'Stay signed in' extends the session", async () => {
  const { page } = await open({ locale: "en" });
  await page.clock.install();
  await page.goto("/staff/login?next=%2Fstaff%2Fadmin%2Ftokens&lng=en");
  // A click while React is still hydrating the form can be lost on a busy machine: sign in once it is ready.
  await waitForPageReady(page);
  await page.fill("#username", "admin");
  await page.fill("#password", DEMO_PASSWORD);
  await Promise.all([page.waitForURL(/\/staff\/admin\/tokens/), page.locator('main form button[type="submit"]').click()]);
  await waitForPageReady(page);
  expect(await page.locator('[role="alertdialog"]').count()).toBe(0);
  // The countdown starts in an effect after hydration: move the clock only once it runs.
  await expect.poll(() => page.locator('[data-idle-watch="on"]').count(), POLL).toBe(1);

  await page.clock.fastForward("28:30");
  const dialog = page.locator('[role="alertdialog"]');
  await expect.poll(() => dialog.count(), POLL).toBe(1);
  expect(await dialog.locator("h2").textContent()).toBe(enStaff.warning.title);
  await expect.poll(() => page.evaluate("document.activeElement && document.activeElement.id"), POLL).toBe("staff-idle-title");
  await expectNoAxeViolations(page);

  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect.poll(() => dialog.count(), POLL).toBe(0);
  await expect.poll(() => page.locator('[role="status"].visually-hidden').first().textContent(), POLL).toBe(enStaff.warning.extended);

  // Left alone past the limit, it says so and offers to sign in again.
  await page.clock.fastForward("31:00");
  await expect.poll(() => dialog.locator("h2").textContent(), POLL).toBe(enStaff.warning.endedTitle);
  expect(await dialog.locator("a").getAttribute("href")).toBe("/staff/login?next=%2Fstaff%2Fadmin%2Ftokens");
});
