// The public notice (公示) in Chromium without JavaScript: a case made through
// the partner API is approved by the demo supervisor and appears on /notice
// with a masked name only; someone objects (an empty reason first: 400 with
// an error summary), sees the confirmation; the supervisor finds the
// objection and dismisses it. /notice, the objection form (also with its
// errors), the confirmation and both staff objection pages pass the page
// checks (axe WCAG 2.2 AA, 320 px, keyboard) in zh-CN and en, and no page a
// member of the public sees contains the name, ID number, phone or reference.
import type { Page } from "playwright-core";
import { idCheckCharacter } from "~/domain/identity";
import enNotice from "../../public/locales/en/notice.json";
import zhNotice from "../../public/locales/zh-CN/notice.json";
import { setupBrowser } from "../support/browser";
import { checkCurrentPage, checkPage, type Lng } from "../support/check-page";
import { signIn } from "../support/staff-browser";

const { open } = setupBrowser();
const NOTICE = { "zh-CN": zhNotice, en: enNotice } as const;

const DEMO_PARTNER_TOKEN = "ll_demo_partner_token";
const ID_NUMBER = "11010519491231004" + idCheckCharacter("11010519491231004");

/** One adult earning 200 a month, everything answered: dibao 800 a month. */
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

/** Names that differ per language run, and what the notice list must show instead. */
const PEOPLE = { "zh-CN": { name: "欧阳公示", masked: "欧*示" }, en: { name: "Anna Noticeperson", masked: "A*a N*n" } } as const;

async function submit(page: Page, selector = "main form button[type=submit]"): Promise<number | undefined> {
  const [response] = await Promise.all([page.waitForNavigation(), page.locator(selector).last().click()]);
  return response?.status();
}

async function approvedCase(page: Page, lng: Lng): Promise<{ reference: string; phone: string }> {
  const phone = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  const reply = await page.request.post("/api/v1/applications", {
    headers: { Authorization: `Bearer ${DEMO_PARTNER_TOKEN}` },
    data: { applicant: { name: PEOPLE[lng].name, idNumber: ID_NUMBER, phone, language: lng }, household: HOUSEHOLD, programs: ["dibao"] },
  });
  expect(reply.status(), await reply.text()).toBe(201);
  const { reference } = (await reply.json()) as { reference: string };
  await signIn(page, "supervisor");
  await page.goto(`/staff/cases/${reference}?lng=${lng}`);
  expect(await submit(page, 'form:has(input[value="screening"]) button')).toBe(200);
  expect(await submit(page, 'form:has(input[value="approve"]) button')).toBe(200);
  return { reference, phone };
}

async function expectNothingPersonal(page: Page, secrets: string[]): Promise<void> {
  const html = await page.content();
  for (const secret of secrets) expect(html.includes(secret), `${page.url()} must not contain ${secret}`).toBe(false);
}

describe.each(["zh-CN", "en"] as const)("public notice (%s)", (lng: Lng) => {
  const text = NOTICE[lng];

  it("lists the approved case masked, takes an objection without script, and a supervisor dismisses it", async () => {
    const { page } = await open({ javaScriptEnabled: false, locale: lng });
    const { reference, phone } = await approvedCase(page, lng);
    const secrets = [PEOPLE[lng].name, ID_NUMBER, phone, phone.slice(3), reference];

    // The public list, signed out.
    await page.context().clearCookies();
    await checkPage(page, "/notice", { lng });
    expect(await page.locator("h1").innerText()).toBe(text.list.title);
    const row = page.locator("tr", { hasText: PEOPLE[lng].masked });
    expect(await row.count()).toBe(1);
    await expectNothingPersonal(page, secrets);
    const href = (await row.locator('a[href^="/notice/"]').getAttribute("href"))!;
    expect(href).toMatch(/^\/notice\/[A-Za-z0-9_-]+\/objection$/);
    expect(href).not.toContain(reference);

    // The district filter is a plain GET form.
    await page.selectOption("#district", "haidian");
    await submit(page, "form.notice-filter button");
    expect(new URL(page.url()).searchParams.get("district")).toBe("haidian");
    expect(await page.locator("tr", { hasText: PEOPLE[lng].masked }).count()).toBe(0);

    // The objection form: empty first.
    await checkPage(page, href, { lng });
    await expectNothingPersonal(page, secrets);
    expect(await page.locator("main").innerText()).toContain(PEOPLE[lng].masked);
    expect(await submit(page)).toBe(400);
    expect(await page.locator('.error-summary a[href="#reason"]').innerText()).toBe(text.objection.errors.reasonRequired);
    expect(await page.getAttribute("#reason", "aria-invalid")).toBe("true");
    expect(await page.title()).toMatch(/^(Error: |错误：)/);
    await checkCurrentPage(page, { lng, keyboard: false });
    await page.fill("#reason", lng === "en" ? "They have a shop in the market." : "他们在市场里有一家店。");
    await page.fill("#contact", "13900001234");
    expect(await submit(page)).toBe(200);
    expect(new URL(page.url()).pathname).toBe("/notice/objection-sent");
    expect(await page.locator("h1").innerText()).toBe(text.sent.title);
    await checkCurrentPage(page, { lng });

    // The supervisor's list and the objection page.
    await signIn(page, "supervisor");
    await checkPage(page, "/staff/objections", { lng });
    const link = page.locator(`a[href^="/staff/objections/"]`, { hasText: reference });
    expect(await link.count()).toBe(1);
    await checkPage(page, (await link.getAttribute("href"))!, { lng });
    expect(await page.locator("main").innerText()).toContain("13900001234");
    expect(await submit(page, "section.case-actions form button")).toBe(400);
    expect(await page.locator('.error-summary a[href="#decision"]').count()).toBe(1);
    await checkCurrentPage(page, { lng, keyboard: false });
    await page.locator("#decision-1").check();
    await page.fill("#note", lng === "en" ? "The shop belongs to a neighbour." : "店是邻居的。");
    expect(await submit(page, "section.case-actions form button")).toBe(200);
    expect(await page.locator('.notice[role="status"]').innerText()).toContain(text.staff.doneDismissed);
    await checkCurrentPage(page, { lng });
  });
});
