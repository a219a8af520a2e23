// The partner view in Chromium without JavaScript (issue 9): a case made
// through the partner API for a person with a severe disability; the demo
// supervisor approves it and agrees its plan (a home-care referral to the demo
// organisation of the demo partner account); the demo partner signs in, lands
// on /partner, opens the referral (phone masked), sends an incomplete decline
// (400, error summary), accepts (full phone), and reports the help given.
// Another referral declined ("other" with a note) is a task on the staff case
// page, which the supervisor marks done.
// Every partner page passes the page checks (axe WCAG 2.2 AA, 320 px) in
// zh-CN and en, and the staff console answers the partner 403.
import type { Page } from "playwright-core";
import { idCheckCharacter } from "~/domain/identity";
import enCases from "../../public/locales/en/cases.json";
import enPartner from "../../public/locales/en/partner.json";
import zhCases from "../../public/locales/zh-CN/cases.json";
import zhPartner from "../../public/locales/zh-CN/partner.json";
import { setupBrowser } from "../support/browser";
import { checkCurrentPage, checkPage, type Lng } from "../support/check-page";
import { press, signIn } from "../support/staff-browser";

const { open } = setupBrowser();
const TEXT = { "zh-CN": zhPartner, en: enPartner } as const;
const CASES = { "zh-CN": zhCases, en: enCases } as const;
const DEMO_PARTNER_TOKEN = "ll_demo_partner_token";

function randomIdNumber(): string {
  const first17 = `1101051970${String(1 + Math.floor(Math.random() * 12)).padStart(2, "0")}1${Math.floor(Math.random() * 10)}${String(Math.floor(Math.random() * 1000)).padStart(3, "0")}`;
  return first17 + idCheckCharacter(first17);
}

/** One adult with a severe disability, no one to support them and a small income: tekun, and the need disability_care. */
const HOUSEHOLD = {
  members: [{ relation: "self", age: 50, monthlyIncome: 200, disability: "severe", canWork: false, employed: false, student: "none" }],
  supporters: { hasCapableSupporter: false },
  assets: { financial: 0, vehicles: 0, properties: 1 },
  annualMedicalOutOfPocket: 0,
  annualEducationCost: 0,
  housing: { ownsHome: true, perCapitaArea: 30 },
  emergency: { type: "none", lossAmount: 0 },
  disasterAffected: false,
};



/** A case with an agreed plan: its home-care item is a referral to the demo partner's organisation. */
async function referredCase(page: Page, lng: Lng, phone: string): Promise<string> {
  const reply = await page.request.post("/api/v1/applications", {
    headers: { Authorization: `Bearer ${DEMO_PARTNER_TOKEN}` },
    data: { applicant: { name: "转介测试", idNumber: randomIdNumber(), phone, language: lng }, household: HOUSEHOLD, programs: ["tekun"] },
  });
  expect(reply.status(), await reply.text()).toBe(201);
  const { reference } = (await reply.json()) as { reference: string };
  await signIn(page, "supervisor");
  await page.goto(`/staff/cases/${reference}`);
  expect(await press(page, 'form:has(input[value="screening"]) button')).toBe(200);
  expect(await press(page, 'form:has(input[value="approve"]) button')).toBe(200);
  await page.goto(`/staff/cases/${reference}/plan`);
  expect(await press(page, 'form:has(input[value="propose"]) button')).toBe(200);
  await page.check("#how");
  await page.check("#confirm");
  expect(await press(page, 'form:has(input[value="agree"]) button')).toBe(200);
  await press(page, 'form[action="/staff/logout"] button');
  return reference;
}

describe.each(["zh-CN", "en"] as const)("partner view (%s)", (lng: Lng) => {
  const text = TEXT[lng];

  it("the demo partner sees the referral, accepts it and reports the help given", async () => {
    const { page } = await open({ javaScriptEnabled: false, locale: lng });
    const phone = `135${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    await referredCase(page, lng, phone);

    await signIn(page, "partner");
    expect(new URL(page.url()).pathname).toBe("/partner");
    await checkCurrentPage(page, { lng, keyboard: false });
    expect(await page.locator("h1").innerText()).toBe(text.list.title);
    // The staff console is closed to partners.
    expect((await page.request.get("/staff")).status()).toBe(403);

    // The newest new referral is this one (a list shows no names).
    expect(await page.content()).not.toContain("转介测试");
    const link = page.locator('section[aria-labelledby="group-sent"] a').first();
    await Promise.all([page.waitForNavigation(), link.click()]);
    await checkCurrentPage(page, { lng, keyboard: false });
    const main = page.locator("main");
    expect(await main.innerText()).toContain("转介测试");
    expect(await main.innerText()).toContain(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(await main.innerText()).not.toContain(phone);

    // Decline without a reason: 400, the error summary links to the first reason.
    expect(await press(page, 'form:has(input[value="decline"]) button')).toBe(400);
    expect(await page.locator(".error-summary a[href='#reason']").innerText()).toBe(text.errors.reason.missing);
    expect(await page.title()).toMatch(/^(Error: |错误：)/);
    await checkCurrentPage(page, { lng, keyboard: false });

    expect(await press(page, 'form:has(input[value="accept"]) button')).toBe(200);
    expect(await page.locator('.notice[role="status"]').innerText()).toContain(text.referral.done.accepted);
    expect(await main.innerText()).toContain(phone);
    await checkCurrentPage(page, { lng, keyboard: false });

    await page.fill("#deliveryNote", "e2e: two home visits");
    expect(await press(page, 'form:has(input[value="deliver"]) button')).toBe(200);
    expect(await page.locator('.notice[role="status"]').innerText()).toContain(text.referral.done.delivered);
    await checkPage(page, "/partner", { lng, keyboard: false });
  });

  it("a declined referral is a task on the case page", async () => {
    const { page } = await open({ javaScriptEnabled: false, locale: lng });
    const reference = await referredCase(page, lng, `135${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`);
    await signIn(page, "partner");
    await Promise.all([page.waitForNavigation(), page.locator('section[aria-labelledby="group-sent"] a').first().click()]);
    await page.check('input[name="reason"][value="other"]');
    expect(await press(page, 'form:has(input[value="decline"]) button')).toBe(400);
    expect(await page.locator(".error-summary a[href='#note']").innerText()).toBe(text.errors.note.missing);
    await page.check('input[name="reason"][value="other"]');
    await page.fill("#note", "e2e: closed for the summer");
    expect(await press(page, 'form:has(input[value="decline"]) button')).toBe(200);
    expect(await page.locator('.notice[role="status"]').innerText()).toContain(text.referral.done.declined);
    await checkCurrentPage(page, { lng, keyboard: false });
    await press(page, 'form[action="/staff/logout"] button');

    await signIn(page, "supervisor");
    await checkPage(page, `/staff/cases/${reference}`, { lng, keyboard: false });
    const tasks = page.locator('section[aria-labelledby="tasks-heading"]');
    expect(await tasks.innerText()).toContain(CASES[lng].tasks.kind.referral_declined);
    expect(await tasks.innerText()).toContain("e2e: closed for the summer");
    expect(await press(page, 'section[aria-labelledby="tasks-heading"] form:has(input[value="close"]) button')).toBe(200);
    expect(await page.locator('section[aria-labelledby="tasks-heading"] [role="status"]').innerText()).toContain(CASES[lng].tasks.outcome.closed);
    await checkCurrentPage(page, { lng, keyboard: false });
  });
});
