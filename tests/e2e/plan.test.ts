// Assistance plans in Chromium without JavaScript (plain forms), in zh-CN and
// en: the demo supervisor approves a case whose household needs job training
// and tutoring, opens its plan, suggests one (the demo catalogue's
// organisations are matched), fails the agree form once (400, error summary
// linked to the field), then agrees it; the resident signs in on /track and
// reads the plan in plain words. The demo admin opens the organisations
// list, sends an empty form (400) and opens a demo organisation. Every page
// passes the page checks (axe WCAG 2.2 AA, 320 px, keyboard).
import crypto from "node:crypto";
import type { Page } from "playwright-core";
import { idCheckCharacter } from "~/domain/identity";
import enPlan from "../../public/locales/en/plan.json";
import enSms from "../../public/locales/en/sms.json";
import zhPlan from "../../public/locales/zh-CN/plan.json";
import zhSms from "../../public/locales/zh-CN/sms.json";
import { setupBrowser, waitForPageReady } from "../support/browser";
import { checkCurrentPage, checkPage, type Lng } from "../support/check-page";
import { press, signIn } from "../support/staff-browser";

const { open } = setupBrowser();
const PLAN = { "zh-CN": zhPlan, en: enPlan } as const;

const DEMO_PARTNER_TOKEN = "ll_demo_partner_token";
const ID_NUMBER = "11010519491231002" + idCheckCharacter("11010519491231002");
const SMS_WAIT_MS = 15_000;
const CODE_PATTERNS = [enSms.trackingCode, zhSms.trackingCode].map((template) => new RegExp(template.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace("\\{\\{code\\}\\}", "(\\d{6})")));

/** A parent out of work and a child at school: dibao, education, employment; needs job training and tutoring. */
const HOUSEHOLD = {
  members: [
    { relation: "self", age: 45, monthlyIncome: 200, disability: "none", canWork: true, employed: false, student: "none" },
    { relation: "child", age: 10, monthlyIncome: 0, disability: "none", canWork: false, employed: false, student: "compulsory" },
  ],
  supporters: { hasCapableSupporter: false },
  assets: { financial: 0, vehicles: 0, properties: 1 },
  annualMedicalOutOfPocket: 0,
  annualEducationCost: 0,
  housing: { ownsHome: true, perCapitaArea: 30 },
  emergency: { type: "none", lossAmount: 0 },
  disasterAffected: false,
};

async function createCase(page: Page, lng: Lng, phone: string): Promise<string> {
  const reply = await page.request.post("/api/v1/applications", {
    headers: { Authorization: `Bearer ${DEMO_PARTNER_TOKEN}` },
    data: { applicant: { name: "方案测试", idNumber: ID_NUMBER, phone, language: lng }, household: HOUSEHOLD, programs: ["dibao", "education"] },
  });
  expect(reply.status(), await reply.text()).toBe(201);
  return ((await reply.json()) as { reference: string }).reference;
}



async function readCode(inbox: Page, phone: string): Promise<string> {
  const deadline = Date.now() + SMS_WAIT_MS;
  for (;;) {
    await inbox.goto(`/dev/sms?phone=${encodeURIComponent(`+86${phone}`)}`);
    const texts = await inbox.locator(".sms-text p[lang]").allInnerTexts();
    for (const text of texts.reverse()) {
      for (const pattern of CODE_PATTERNS) {
        const match = pattern.exec(text);
        if (match) return match[1];
      }
    }
    if (Date.now() > deadline) throw new Error("no tracking code reached the simulator");
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe.each(["zh-CN", "en"] as const)("assistance plans (%s)", (lng: Lng) => {
  const text = PLAN[lng];

  it("a supervisor suggests and agrees a plan; the resident reads it on /track", async () => {
    const { page } = await open({ javaScriptEnabled: false, locale: lng });
    const phone = `139${String(crypto.randomInt(0, 100_000_000)).padStart(8, "0")}`;
    const reference = await createCase(page, lng, phone);
    await signIn(page, "supervisor");
    await page.goto(`/staff/cases/${reference}?lng=${lng}`);
    expect(await press(page, 'form:has(input[value="screening"]) button')).toBe(200);
    expect(await press(page, 'form:has(input[value="approve"]) button')).toBe(200);
    // the case page links the plan
    expect(await page.locator("#plan-link-heading").innerText()).toBe(text.caseLink.heading);

    await checkPage(page, `/staff/cases/${reference}/plan`, { lng });
    expect(await page.locator("h1").innerText()).toBe(text.page.title.replace("{{reference}}", reference));
    expect(await press(page, 'form:has(input[value="propose"]) button')).toBe(200);
    expect(await page.locator('.notice[role="status"]').innerText()).toContain(text.page.done.proposed);
    const items = page.locator(".plan-item");
    expect(await items.count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator("main").innerText()).toContain(text.need.tutoring.name);
    await checkCurrentPage(page, { lng });

    // agree without confirming: 400, summary linked to the checkbox
    await page.locator('input[name="how"][value="phone"]').check();
    expect(await press(page, 'form:has(input[value="agree"]) button[type="submit"]')).toBe(400);
    expect(await page.title()).toMatch(/^(Error: |错误：)/);
    expect(await page.locator('.error-summary a[href="#confirm"]').innerText()).toBe(text.errors.confirm);
    await checkCurrentPage(page, { lng });

    await page.locator('input[name="how"][value="phone"]').check();
    await page.locator("#confirm").check();
    expect(await press(page, 'form:has(input[value="agree"]) button[type="submit"]')).toBe(200);
    expect(await page.locator('.notice[role="status"]').innerText()).toContain(text.page.done.agreed);
    await checkCurrentPage(page, { lng });
    // With JavaScript (same cookies): the agreed plan and the case page hydrate without a script error.
    const scripted = await open({ javaScriptEnabled: true, locale: lng });
    for (const url of [`/staff/cases/${reference}/plan?lng=${lng}`, `/staff/cases/${reference}?lng=${lng}`]) {
      await scripted.page.goto(url);
      await waitForPageReady(scripted.page);
    }
    expect(scripted.problems).toEqual([]);

    // the resident signs in on /track and reads the plan
    const resident = (await open({ javaScriptEnabled: false, locale: lng })).page;
    const inbox = (await open({ javaScriptEnabled: false, locale: lng })).page;
    await resident.goto(`/track?lng=${lng}`);
    await resident.fill("#reference", reference);
    await resident.fill("#phone", phone);
    await press(resident, 'main form button[type="submit"]');
    await resident.fill("#code", await readCode(inbox, phone));
    await press(resident, 'main form:has(#code) button[type="submit"]:not(.secondary)');
    expect(new URL(resident.url()).pathname).toBe("/track/case");
    expect(await resident.locator("#plan-heading").innerText()).toBe(text.resident.heading);
    const section = await resident.locator(".resident-plan").innerText();
    expect(section).toContain(text.need.job_training.name);
    expect(section).toContain(text.resident.status.sent);
    await checkCurrentPage(resident, { lng });
  });

  it("an admin sees the organisations, a bad form answers 400 accessibly, an organisation's page passes", async () => {
    const { page } = await open({ javaScriptEnabled: false, locale: lng });
    await signIn(page, "admin");
    await checkPage(page, "/staff/admin/organisations", { lng });
    expect(await page.locator("h1").innerText()).toBe(text.admin.title);
    expect(await press(page, 'form[aria-labelledby="add-heading"] button[type="submit"]')).toBe(400);
    expect(await page.locator('.error-summary a[href="#name"]').innerText()).toBe(text.errors.name.required);
    expect(await page.locator("#name").getAttribute("aria-invalid")).toBe("true");
    await checkCurrentPage(page, { lng });
    await checkPage(page, "/staff/admin/organisations/demo-org-haidian-study", { lng });
    // With JavaScript (same cookies): both pages hydrate without a script error.
    const scripted = await open({ javaScriptEnabled: true, locale: lng });
    for (const url of ["/staff/admin/organisations", "/staff/admin/organisations/demo-org-haidian-study"]) {
      await scripted.page.goto(`${url}?lng=${lng}`);
      await waitForPageReady(scripted.page);
    }
    expect(scripted.problems).toEqual([]);
  });
});
