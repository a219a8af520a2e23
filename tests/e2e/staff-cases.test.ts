// Case review in Chromium without JavaScript (plain forms): a case made
// through the partner API with a document, then the demo supervisor signs in,
// finds it in the list, opens it, starts checking, accepts the document,
// approves it (the amount comes from the rules) and reads the decision letter
// in the application's language and the other one. The list, the case page
// and the letter pass the page checks (axe WCAG 2.2 AA, 320 px, keyboard) in
// zh-CN and en; the document opens as an attachment.
import type { Page } from "playwright-core";
import { idCheckCharacter } from "~/domain/identity";
import enCases from "../../public/locales/en/cases.json";
import enLetter from "../../public/locales/en/letter.json";
import zhCases from "../../public/locales/zh-CN/cases.json";
import zhLetter from "../../public/locales/zh-CN/letter.json";
import { setupBrowser } from "../support/browser";
import { checkCurrentPage, checkPage, type Lng } from "../support/check-page";
import { press, signIn } from "../support/staff-browser";

const { open } = setupBrowser();
const CASES = { "zh-CN": zhCases, en: enCases } as const;
const LETTER = { "zh-CN": zhLetter, en: enLetter } as const;

const DEMO_PARTNER_TOKEN = "ll_demo_partner_token";
const ID_NUMBER = "11010519491231002" + idCheckCharacter("11010519491231002");
const PDF = Buffer.from("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", "latin1");

/** One adult earning 200 a month, everything answered: dibao 800 a month, within a caseworker's limit too. */
const HOUSEHOLD = {
  members: [{ relation: "self", age: 45, monthlyIncome: 200, disability: "none", canWork: true, employed: false, student: "none" }],
  supporters: { hasCapableSupporter: false },
  assets: { financial: 0, vehicles: 0, properties: 1 },
  annualMedicalOutOfPocket: 0,
  annualEducationCost: 0,
  housing: { ownsHome: true, perCapitaArea: 30 },
  emergency: { type: "none", lossAmount: 0 },
  disasterAffected: false,
};

async function createCase(page: Page, lng: Lng): Promise<string> {
  const phone = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  const reply = await page.request.post("/api/v1/applications", {
    headers: { Authorization: `Bearer ${DEMO_PARTNER_TOKEN}` },
    data: { applicant: { name: "审核测试", idNumber: ID_NUMBER, phone, language: lng }, household: HOUSEHOLD, programs: ["dibao"] },
  });
  expect(reply.status(), await reply.text()).toBe(201);
  const { reference } = (await reply.json()) as { reference: string };
  const upload = await page.request.post(`/api/v1/applications/${reference}/evidence`, {
    headers: { Authorization: `Bearer ${DEMO_PARTNER_TOKEN}` },
    multipart: { type: "id_card", file: { name: "id.pdf", mimeType: "application/pdf", buffer: PDF } },
  });
  expect(upload.status(), await upload.text()).toBe(201);
  return reference;
}



describe.each(["zh-CN", "en"] as const)("case review (%s)", (lng: Lng) => {
  const text = CASES[lng];

  it("a supervisor opens a submitted case, accepts its document, approves it and sees the letter", async () => {
    const { page } = await open({ javaScriptEnabled: false, locale: lng });
    const reference = await createCase(page, lng);
    await signIn(page, "supervisor");

    // The list, filtered to new cases, shows it with a masked name.
    await checkPage(page, "/staff/cases?status=submitted", { lng });
    expect(await page.locator("h1").innerText()).toBe(text.list.title);
    const row = page.locator("tr", { has: page.locator(`a[href="/staff/cases/${reference}"]`) });
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toContain("审*");
    expect(await page.content()).not.toContain("审核测试");

    // The case page.
    await checkPage(page, `/staff/cases/${reference}`, { lng });
    expect(await page.locator("h1").innerText()).toBe(text.case.title.replace("{{reference}}", reference));
    const download = page.locator(`a[href^="/staff/cases/${reference}/evidence/"]`);
    expect(await download.count()).toBe(1);
    const file = await page.request.get((await download.getAttribute("href"))!);
    expect(file.status()).toBe(200);
    expect(file.headers()["content-disposition"]).toBe(`attachment; filename="${reference}-id_card-1.pdf"`);
    // the server adds nosniff to every answer too; the route sets it itself as well
    expect(file.headers()["x-content-type-options"]).toMatch(/^nosniff(, nosniff)?$/);

    expect(await press(page, 'form:has(input[value="screening"]) button')).toBe(200);
    expect(await page.locator('.notice[role="status"]').innerText()).toContain(text.done.screening);
    expect(await press(page, 'form:has(input[value="accept_evidence"]) button')).toBe(200);
    expect(await page.locator('.notice[role="status"]').innerText()).toContain(text.done.accept_evidence);
    await checkCurrentPage(page, { lng });
    expect(await press(page, 'form:has(input[value="approve"]) button')).toBe(200);
    expect(await page.locator('.notice[role="status"]').innerText()).toContain(text.done.approve);
    expect(await page.locator("main").innerText()).toContain(text.case.decisionHeading);

    // The letter: in the application's language, then the other.
    await checkPage(page, `/staff/cases/${reference}/letter`, { lng });
    const letter = page.locator("article.letter");
    expect(await letter.getAttribute("lang")).toBe(lng);
    expect(await letter.innerText()).toContain(LETTER[lng].approved.outcome);
    expect(await letter.innerText()).toContain("800");
    const other: Lng = lng === "en" ? "zh-CN" : "en";
    await press(page, `a[href="/staff/cases/${reference}/letter?letter=${other}"]`);
    await checkCurrentPage(page, { lng });
    expect(await page.locator("article.letter").getAttribute("lang")).toBe(other);
    expect(await page.locator("article.letter").innerText()).toContain(LETTER[other].review.heading);
  });

  it("a form sent incomplete answers 400 with an error summary linked to the field, and stays accessible", async () => {
    const { page } = await open({ javaScriptEnabled: false, locale: lng });
    const reference = await createCase(page, lng);
    await signIn(page, "supervisor");
    await page.goto(`/staff/cases/${reference}?lng=${lng}`);
    await press(page, 'form:has(input[value="screening"]) button');
    expect(await press(page, 'form:has(input[value="reject"]) button')).toBe(400);
    expect(await page.locator('.error-summary a[href="#reasons"]').innerText()).toBe(text.errors.reasonsRequired);
    await checkCurrentPage(page, { lng, keyboard: false });
  });
});
