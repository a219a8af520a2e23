// Residents' data in Chromium without JavaScript: the demo supervisor finds a
// person by ID number (after a search with nothing filled in shows the error
// summary), sees what is held, downloads it as a .tar, and erases a person
// known only by a call-back request (typed confirmation, error summary first).
// Every page passes the page checks (axe WCAG 2.2 AA, 320 px) in zh-CN and en.
import { idCheckCharacter } from "~/domain/identity";
import enResidents from "../../public/locales/en/residents.json";
import zhResidents from "../../public/locales/zh-CN/residents.json";
import { setupBrowser } from "../support/browser";
import { checkCurrentPage, checkPage, type Lng } from "../support/check-page";
import { press, signIn } from "../support/staff-browser";

const { open } = setupBrowser();
const TEXT = { "zh-CN": zhResidents, en: enResidents } as const;
const DEMO_PARTNER_TOKEN = "ll_demo_partner_token";

function randomMobile(): string {
  return `136${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
}

function randomIdNumber(): string {
  const first17 = `1101051980${String(
    1 + Math.floor(Math.random() * 12)
  ).padStart(2, "0")}1${Math.floor(Math.random() * 10)}${String(
    Math.floor(Math.random() * 1000)
  ).padStart(3, "0")}`;
  return first17 + idCheckCharacter(first17);
}



describe.each(["zh-CN", "en"] as const)("residents' data (%s)", (lng: Lng) => {
  const text = TEXT[lng];

  it("a supervisor finds a person, sees what is held, downloads it, and erases someone known by a call-back", async () => {
    const { page } = await open({ javaScriptEnabled: false, locale: lng });
    const idNumber = randomIdNumber();
    const reply = await page.request.post("/api/v1/applications", {
      headers: { Authorization: `Bearer ${DEMO_PARTNER_TOKEN}` },
      data: {
        applicant: {
          name: "资料测试",
          idNumber,
          phone: randomMobile(),
          language: lng,
        },
        household: {
          members: [{ relation: "self", age: 70, monthlyIncome: 100 }],
        },
        programs: ["dibao"],
      },
    });
    expect(reply.status(), await reply.text()).toBe(201);
    const { reference } = (await reply.json()) as { reference: string };
    await signIn(page, "supervisor");

    await checkPage(page, "/staff/residents", { lng, keyboard: false });
    expect(await page.locator("h1").innerText()).toBe(text.title);

    // Nothing filled in: the error summary links to the ID number field.
    expect(
      await press(page, 'form[aria-labelledby="find-heading"] button')
    ).toBe(400);
    await checkCurrentPage(page, { lng, keyboard: false });
    expect(
      await page.locator(".error-summary a[href='#idNumber']").innerText()
    ).toBe(text.find.errors.required);
    expect(await page.title()).toMatch(/^(Error: |错误：)/);

    await page.fill("#idNumber", idNumber);
    await page.fill("#reason", "e2e: the resident asked for a copy");
    expect(
      await press(page, 'form[aria-labelledby="find-heading"] button')
    ).toBe(200);
    await checkCurrentPage(page, { lng, keyboard: false });
    expect(await page.locator("h1").innerText()).toBe(text.result.heading);
    const body = await page.locator("main").innerText();
    expect(body).toContain(reference);
    expect(body).not.toContain(idNumber);
    // The case is still open: no erase form, the reason instead.
    expect(body).toContain(text.erase.blocked);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator('form[action="/staff/residents/export"] button').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^lifeline-resident-\d{4}-\d{2}-\d{2}\.tar$/
    );

    // A person known only by a call-back request: nothing blocks the erasure.
    const phone = randomMobile();
    const callback = await page.request.post("/api/v1/callbacks", {
      data: { phone, language: lng },
    });
    expect(callback.status(), await callback.text()).toBe(201);
    await checkPage(page, "/staff/residents", { lng, keyboard: false });
    await page.fill("#phone", phone);
    await page.fill("#reason", "e2e: erase on request");
    expect(
      await press(page, 'form[aria-labelledby="find-heading"] button')
    ).toBe(200);
    expect(
      await press(page, 'form[action="/staff/residents/erase"] button')
    ).toBe(200);
    await checkCurrentPage(page, { lng, keyboard: false });
    expect(await page.locator("h1").innerText()).toBe(text.erase.pageTitle);

    // No reason and the wrong word: both named in the error summary.
    await page.fill("#confirm", "no");
    expect(await press(page, "main form button.warning")).toBe(400);
    await checkCurrentPage(page, { lng, keyboard: false });
    expect(await page.locator(".error-summary li").count()).toBe(2);

    await page.fill("#reason", "e2e: the resident asked in writing");
    await page.fill("#confirm", text.erase.word);
    await press(page, "main form button.warning");
    expect(new URL(page.url()).pathname).toBe("/staff/residents");
    await checkCurrentPage(page, { lng, keyboard: false });
    expect(await page.locator(".notice[role='status']").innerText()).toBe(
      text.erased
    );
  });
});
