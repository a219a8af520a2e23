// The application journey in Chromium with JavaScript off, in both languages:
// from a finished check, through every task page (with one bad form to see
// the error summary), a real file upload, to the confirmation. Each page
// passes the standard page checks (axe WCAG 2.2 AA, 320 px, keyboard).
import type { Page } from "playwright-core";
import { idCheckCharacter } from "~/domain/identity";
import enApply from "../../public/locales/en/apply.json";
import zhApply from "../../public/locales/zh-CN/apply.json";
import { lone_elder } from "../fixtures/check-personas";
import { setupBrowser } from "../support/browser";
import { checkCurrentPage, checkPage, type Lng } from "../support/check-page";
import { pdfFile } from "../unit/evidence/sample-files";

const { newPage } = setupBrowser();
const TEXT = { "zh-CN": zhApply, en: enApply } as const;
const ID = "11010519491231002" + idCheckCharacter("11010519491231002");

async function finishCheck(page: Page) {
  for (const [step, fields] of Object.entries(lone_elder.pages)) {
    const reply = await page.request.post(`/check/${step}`, { form: fields, maxRedirects: 0 });
    expect(reply.status(), `check step ${step}`).toBe(302);
  }
}

async function submitForm(page: Page, form: string = "main form") {
  const [response] = await Promise.all([page.waitForNavigation(), page.locator(`${form} button[type="submit"]`).last().click()]);
  return response;
}

describe.each(["zh-CN", "en"] as const)("applying without JavaScript (%s)", (lng: Lng) => {
  const t = TEXT[lng];

  it("goes from the task list to the confirmation, every page accessible", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await checkPage(page, "/apply", { lng });
    expect(await page.locator("h1").innerText()).toBe(t.index.title);
    await finishCheck(page);

    await page.goto("/apply/who");
    await checkCurrentPage(page, { lng });
    await page.locator("#forWhom").check();
    await submitForm(page);
    expect(new URL(page.url()).pathname).toBe("/apply/details");
    await checkCurrentPage(page, { lng });

    // A bad ID number: 400, the error summary links to the field, what was typed stays.
    await page.fill("#applicantName", "王秀英");
    await page.fill("#applicantIdNumber", ID.slice(0, 17) + (ID[17] === "1" ? "2" : "1"));
    await page.fill("#applicantPhone", "138 0013 8000");
    await page.locator("#district").check();
    await page.locator("#callMe").check();
    const bad = await submitForm(page);
    expect(bad?.status()).toBe(400);
    expect(await page.locator('.error-summary a[href="#applicantIdNumber"]').count()).toBe(1);
    expect(await page.locator("#applicantIdNumber").getAttribute("aria-invalid")).toBe("true");
    expect(await page.inputValue("#applicantName")).toBe("王秀英");
    await checkCurrentPage(page, { lng });
    await page.fill("#applicantIdNumber", ID);
    await submitForm(page);

    expect(new URL(page.url()).pathname).toBe("/apply/household");
    await checkCurrentPage(page, { lng });
    await submitForm(page);
    expect(new URL(page.url()).pathname).toBe("/apply/programmes");
    await checkCurrentPage(page, { lng });
    await submitForm(page);
    expect(new URL(page.url()).pathname).toBe("/apply/documents");
    await checkCurrentPage(page, { lng, keyboard: false });

    for (const type of ["id_card", "household_register", "income_proof"]) {
      await page.setInputFiles(`#file-${type}`, { name: `${type}.pdf`, mimeType: "application/pdf", buffer: Buffer.from(pdfFile()) });
      await submitForm(page, `#doc-${type} form`);
      expect(await page.locator(`#doc-${type} .file-list li`).count()).toBe(1);
    }
    await checkCurrentPage(page, { lng, keyboard: false });
    await submitForm(page, "main > form");
    expect(new URL(page.url()).pathname).toBe("/apply/answers");
    await checkCurrentPage(page, { lng });

    await Promise.all([page.waitForNavigation(), page.locator("main a.button").click()]);
    expect(new URL(page.url()).pathname).toBe("/apply/declaration");
    await checkCurrentPage(page, { lng });
    await page.locator("#declare").check();
    await submitForm(page);
    expect(new URL(page.url()).pathname).toMatch(/^\/apply\/done\/LA-/);
    await checkCurrentPage(page, { lng });
    expect(await page.locator("h1").innerText()).toBe(t.done.title);
    expect(await page.locator(".reference").innerText()).toMatch(/^LA-/);
  });

  it("for someone else: the consent page texts a code and refuses a wrong one, accessibly", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`/apply/who?lng=${lng}`);
    await finishCheck(page);
    await page.goto("/apply/who");
    await page.locator("#forWhom-1").check();
    await page.locator("#relationship").check();
    await page.locator("#consentMethod").check();
    await submitForm(page);
    expect(await page.locator("#helperName").count()).toBe(1);
    await checkCurrentPage(page, { lng });
    await page.fill("#applicantName", "王秀英");
    await page.fill("#applicantIdNumber", ID);
    await page.fill("#applicantPhone", "136 0013 6000");
    await page.fill("#helperName", "李娜");
    await page.fill("#helperPhone", "135 0013 5000");
    await page.locator("#district-2").check();
    await page.locator("#callMe-1").check();
    await submitForm(page);
    expect(new URL(page.url()).pathname).toBe("/apply/consent");
    await checkCurrentPage(page, { lng });
    await submitForm(page, "main form:first-of-type");
    expect(await page.locator("#code").getAttribute("autocomplete")).toBe("one-time-code");
    await checkCurrentPage(page, { lng });
    await page.fill("#code", "12345");
    const wrong = await submitForm(page, "main form:nth-of-type(2)");
    expect(wrong?.status()).toBe(400);
    expect(await page.locator('.error-summary a[href="#code"]').innerText()).toBe(t.errors.code.format);
    await checkCurrentPage(page, { lng });
  });
});
