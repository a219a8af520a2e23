// The call-back queue in Chromium, in both languages: a resident finishes the
// check and asks for a call; the demo caseworker signs in, finds it in the
// queue, opens it (the full number only after taking it), and continues the
// application for them in assisted mode (banner with the masked number), to
// a submitted application; the call-back is then done. Every page passes the
// standard checks (axe WCAG 2.2 AA, 320 px, keyboard). Without JavaScript the
// queue page works too, with "take the next most urgent", and so do a
// supervisor's "put back in the queue" and "give to a caseworker".
import type { Page } from "playwright-core";
import { idCheckCharacter } from "~/domain/identity";
import enQueue from "../../public/locales/en/queue.json";
import zhQueue from "../../public/locales/zh-CN/queue.json";
import { mother_and_son } from "../fixtures/check-personas";
import { setupBrowser, waitForPageReady } from "../support/browser";
import { checkCurrentPage, checkPage, type Lng } from "../support/check-page";
import { pdfFile } from "../unit/evidence/sample-files";
import { signIn } from "../support/staff-browser";

const { open } = setupBrowser();
const QUEUE = { "zh-CN": zhQueue, en: enQueue } as const;
const ID = "11010519800101003" + idCheckCharacter("11010519800101003");

function freshMobile(): string {
  return `136${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
}

/** A resident (own browser) finishes the check and asks for a call from the results page; returns the reference. */
async function residentAsksForCall(page: Page, phone: string): Promise<string> {
  for (const [step, fields] of Object.entries(mother_and_son.pages)) {
    const reply = await page.request.post(`/check/${step}`, { form: fields, maxRedirects: 0 });
    expect(reply.status(), `check step ${step}`).toBe(302);
  }
  const asked = await page.request.post("/check/results", { form: { phone }, maxRedirects: 0 });
  expect(asked.status()).toBe(302);
  await page.goto("/check/results");
  const reference = /CB-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(await page.locator("main").innerText())?.[0];
  expect(reference).toBeTruthy();
  return reference!;
}


/**
 * Presses the form's button and waits for the page it leads to. With
 * JavaScript, both pages are first let finish hydrating: Remix's hydration
 * calls history.replaceState, which Playwright's waitForNavigation takes for
 * the navigation it waits for, so a press made before it would return at once,
 * still on the old page.
 */
async function submit(page: Page, form: string) {
  await waitForPageReady(page);
  const [response] = await Promise.all([page.waitForNavigation(), page.locator(`${form} button[type="submit"]`).last().click()]);
  await waitForPageReady(page);
  return response;
}

describe.each(["zh-CN", "en"] as const)("the call-back queue (%s)", (lng: Lng) => {
  const q = QUEUE[lng];

  it("a caseworker goes from the queue to the call-back and finishes the application with the resident", async () => {
    const phone = freshMobile();
    const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
    const resident = await open({ javaScriptEnabled: false, locale: lng });
    const reference = await residentAsksForCall(resident.page, phone);

    const { page } = await open({ javaScriptEnabled: true, locale: lng, viewport: { width: 1280, height: 900 } });
    await signIn(page, "caseworker");
    await checkPage(page, "/staff/callbacks", { lng });
    expect(await page.locator("h1").innerText()).toBe(q.title);
    const row = page.locator("tr", { has: page.locator(`a[href="/staff/callbacks/${reference}"]`) });
    expect(await row.innerText()).toContain(masked);
    expect(await page.content()).not.toContain(phone);

    // The call-back: masked until taken, then a tap-to-call link.
    await checkPage(page, `/staff/callbacks/${reference}`, { lng });
    expect(await page.locator('a[href^="tel:"]').count()).toBe(0);
    expect(await page.locator("main").innerText()).toContain(q.source.eligibility_review);
    await submit(page, 'form:has(input[value="claim"])');
    await checkCurrentPage(page, { lng });
    expect(await page.locator(`a[href="tel:+86${phone}"]`).count()).toBe(1);

    // Continue for them: the task list in assisted mode, with what the check said already in place.
    await submit(page, `form[action="/staff/callbacks/${reference}/continue"]`);
    expect(new URL(page.url()).pathname).toBe("/apply");
    await checkCurrentPage(page, { lng });
    expect(await page.locator(".assisted-banner").innerText()).toContain(q.assisted.banner.replace("{{phone}}", masked));

    await page.goto("/apply/details");
    expect((await page.inputValue("#applicantPhone")).replace(/\D/g, "")).toContain(phone);
    await page.fill("#applicantName", "张建国");
    await page.fill("#applicantIdNumber", ID);
    await page.locator("#district").check();
    await page.locator("#callMe").check();
    await submit(page, "main form");
    expect(new URL(page.url()).pathname).toBe("/apply/household");
    await submit(page, "main form");
    expect(new URL(page.url()).pathname).toBe("/apply/programmes");
    await submit(page, "main form");
    expect(new URL(page.url()).pathname).toBe("/apply/documents");
    const types = await page.locator('input[type="file"]').evaluateAll((inputs) => inputs.map((i) => i.id.replace(/^file-/, "")));
    for (const type of types) {
      await page.setInputFiles(`#file-${type}`, { name: `${type}.pdf`, mimeType: "application/pdf", buffer: Buffer.from(pdfFile()) });
      await submit(page, `#doc-${type} form`);
      // The page after the upload lists the file: wait for it, so the next file goes to the new page.
      await page.locator(`#doc-${type} .file-list li`).first().waitFor();
    }
    await submit(page, "main > form");
    expect(new URL(page.url()).pathname).toBe("/apply/answers");
    await Promise.all([page.waitForNavigation(), page.locator("main a.button").click()]);
    expect(new URL(page.url()).pathname).toBe("/apply/declaration");
    await checkCurrentPage(page, { lng });
    expect(await page.locator("main").innerText()).toContain(q.assisted.readAloud);
    await page.locator("#declare").check();
    await submit(page, "main form");
    expect(new URL(page.url()).pathname).toMatch(/^\/apply\/done\/LA-/);
    await checkCurrentPage(page, { lng });

    // The call-back is finished.
    await checkPage(page, `/staff/callbacks/${reference}`, { lng });
    expect(await page.locator("main").innerText()).toContain(q.detail.doneNotice);
  }, 300_000);

  it("the queue works without JavaScript: filters, and taking the next most urgent", async () => {
    const resident = await open({ javaScriptEnabled: false, locale: lng });
    await residentAsksForCall(resident.page, freshMobile());
    const { page } = await open({ javaScriptEnabled: false, locale: lng });
    await signIn(page, "caseworker");
    await checkPage(page, "/staff/callbacks?filter=overdue", { lng });
    expect(await page.locator('.queue-filters a[aria-current="page"]').innerText()).toBe(q.filters.overdue);
    await checkPage(page, "/staff/callbacks", { lng });
    await submit(page, 'form:has(input[value="next"])');
    expect(new URL(page.url()).pathname).toMatch(/^\/staff\/callbacks\/CB-/);
    await checkCurrentPage(page, { lng });
    expect(await page.locator('a[href^="tel:"]').count()).toBe(1);
    // Give it back: the queue again.
    await submit(page, 'form:has(input[value="release"])');
    expect(new URL(page.url()).pathname).toBe("/staff/callbacks");
    await checkPage(page, "/staff", { lng });
  }, 180_000);

  it("a supervisor puts a held call-back back in the queue and gives it to a caseworker, without JavaScript", async () => {
    const resident = await open({ javaScriptEnabled: false, locale: lng });
    const reference = await residentAsksForCall(resident.page, freshMobile());
    const worker = await open({ javaScriptEnabled: false, locale: lng });
    await signIn(worker.page, "caseworker");
    await worker.page.goto(`/staff/callbacks/${reference}`);
    await submit(worker.page, 'form:has(input[value="claim"])');
    // Pages of one test and locale share cookies: the caseworker's session goes before the supervisor signs in.
    await worker.page.context().clearCookies();

    const { page } = await open({ javaScriptEnabled: false, locale: lng });
    await signIn(page, "supervisor");
    await checkPage(page, `/staff/callbacks/${reference}`, { lng });
    expect(await page.locator("#supervise-heading").innerText()).toBe(q.detail.supervise.title);
    await submit(page, 'form:has(input[value="put_back"])');
    await checkCurrentPage(page, { lng });
    expect(await page.locator('main p.notice[role="status"]').innerText()).toBe(q.detail.putBack);

    // No one chosen: the error summary and the message at the list.
    await submit(page, 'form:has(input[value="assign"])');
    await checkCurrentPage(page, { lng });
    expect(await page.locator(".error-summary").innerText()).toContain(q.errors.assignTo.required);
    const caseworker = await page.locator("#assignTo option", { hasText: "(caseworker)" }).first().getAttribute("value");
    await page.selectOption("#assignTo", caseworker!);
    await submit(page, 'form:has(input[value="assign"])');
    await checkCurrentPage(page, { lng });
    expect(await page.locator('main p.notice[role="status"]').innerText()).toBe(q.detail.assigned);
  }, 180_000);
});
