// The outreach console and invitation in Chromium without JavaScript, in both
// languages: the demo caseworker uploads the departmental test file through
// the multipart form, follows the progress page (Refresh link) to the
// summary, finds the households on the ranked list (names masked), opens the
// first, texts an invitation; the resident opens the link (a prefilled draft,
// nothing sent) and goes on into /apply; another resident asks not to be
// checked again. Every page passes the standard checks (axe WCAG 2.2 AA, 320
// px, keyboard), and a link that does not work gets its plain 404 page.
import path from "node:path";
import type { Page } from "playwright-core";
import enInvite from "../../public/locales/en/invite.json";
import enLeads from "../../public/locales/en/leads.json";
import zhInvite from "../../public/locales/zh-CN/invite.json";
import zhLeads from "../../public/locales/zh-CN/leads.json";
import { setupBrowser } from "../support/browser";
import { checkCurrentPage, checkPage, withLng, type Lng } from "../support/check-page";
import { press, signIn } from "../support/staff-browser";

const { open } = setupBrowser();
const LEADS = { "zh-CN": zhLeads, en: enLeads } as const;
const INVITE = { "zh-CN": zhInvite, en: enInvite } as const;
const FIXTURE = path.resolve("tests/fixtures/outreach/screening.csv");
const DATA_DATE = { "zh-CN": "2026-06-03", en: "2026-06-04" } as const;



/** The newest invitation link texted to this number, from the demo phone simulator. */
async function lastInvitePath(page: Page, phone: string): Promise<string> {
  await page.goto(`/dev/sms?phone=${encodeURIComponent(phone)}`);
  const links = [...(await page.locator("main").innerText()).matchAll(/\/apply\/invite\/[A-Za-z0-9_-]+/g)].map((m) => m[0]);
  expect(links.length).toBeGreaterThan(0);
  return links[links.length - 1];
}

describe.each(["zh-CN", "en"] as const)("outreach (%s)", (lng: Lng) => {
  const text = LEADS[lng];
  const invite = INVITE[lng];

  it("a caseworker uploads a file, sees the summary and the ranked list, and texts an invitation the resident opens", async () => {
    const { page } = await open({ javaScriptEnabled: false, locale: lng });
    await signIn(page, "caseworker");

    await checkPage(page, "/staff/outreach/upload", { lng });
    expect(await page.locator("h1").innerText()).toBe(text.upload.title);
    await page.fill("#dataDate", DATA_DATE[lng]);
    await page.setInputFiles("#file", FIXTURE);
    expect(await press(page, 'form.outreach-upload-form button[type="submit"]')).toBe(200);
    expect(new URL(page.url()).pathname).toMatch(/^\/staff\/outreach\/uploads\/[0-9a-f-]{36}$/);
    await checkCurrentPage(page, { lng });

    // Follow the progress with the Refresh link until the summary shows.
    for (let i = 0; i < 40 && (await page.locator("#summary-heading").count()) === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await press(page, ".outreach-refresh a.button");
    }
    expect(await page.locator("#summary-heading").innerText()).toBe(text.progress.summary);
    expect(await page.locator("progress").getAttribute("value")).toBe("100");
    const summary = await page.locator("main").innerText();
    expect(summary).toContain(text.progress.sampleLine.replace("{{line}}", "13").split("{{reason}}")[0]);
    await checkCurrentPage(page, { lng });

    await press(page, `a[href="/staff/outreach?dataDate=${DATA_DATE[lng]}"]`);
    await checkCurrentPage(page, { lng });
    const list = await page.locator("main").innerText();
    expect(list).toContain("王*明");
    expect(list).not.toContain("王大明");
    // Five flagged households, less E once its resident opted out (the other language's second test).
    expect(await page.locator("table.outreach-table tbody tr").count()).toBeGreaterThanOrEqual(4);

    await press(page, "table.outreach-table tbody tr:first-child a");
    await checkCurrentPage(page, { lng });
    expect(await page.locator("h1").innerText()).toBe(text.lead.title.replace("{{household}}", "MED"));
    expect(await page.locator("main").innerText()).not.toContain("110101195001011239");
    // The invitation goes in the resident's language.
    await page.check(lng === "en" ? "#language-1" : "#language");
    expect(await press(page, 'form[aria-labelledby="invite-heading"] button[type="submit"]')).toBe(200);
    expect(await page.locator(".notice[role=status]").innerText()).toBe(text.done.invite);
    await checkCurrentPage(page, { lng });

    // The resident opens the link: a prefilled draft, nothing sent yet.
    const link = await lastInvitePath(page, "+8613800138000");
    const resident = await open({ javaScriptEnabled: false, locale: lng });
    await checkPage(resident.page, link, { lng });
    expect(await resident.page.locator("h1").innerText()).toBe(invite.open.title);
    expect(await resident.page.locator("main").innerText()).toContain(invite.open.nothingSent);
    expect(await press(resident.page, `a[href="/apply"]`)).toBe(200);
    expect(new URL(resident.page.url()).pathname).toBe("/apply");
  });

  it("a resident asks from the invitation not to be checked again; a bad link gets its plain page", async () => {
    const { page } = await open({ javaScriptEnabled: false, locale: lng });
    await signIn(page, "caseworker");
    // A head of household with a mobile, another one in each language (an opted-out household is not screened again).
    const [household, flag, phone] = lng === "zh-CN" ? ["E", "severe_disability_low_income", "+8613912345678"] : ["MED", "medical_no_labour", "+8613800138000"];
    await page.goto(withLng(`/staff/outreach?dataDate=${DATA_DATE[lng]}&flag=${flag}`, lng));
    await press(page, "table.outreach-table tbody tr:first-child a");
    expect(await page.locator("h1").innerText()).toBe(text.lead.title.replace("{{household}}", household));
    expect(await press(page, 'form[aria-labelledby="invite-heading"] button[type="submit"]')).toBe(200);
    const link = await lastInvitePath(page, phone);

    const resident = await open({ javaScriptEnabled: false, locale: lng });
    await resident.page.goto(withLng(link, lng));
    expect(await press(resident.page, ".invite-optout button")).toBe(200);
    expect(await resident.page.locator("h1").innerText()).toBe(invite.optedOut.title);
    await checkCurrentPage(resident.page, { lng });

    await checkPage(resident.page, link, { lng, status: 410 });
    expect(await resident.page.locator("h1").innerText()).toBe(invite.closed.title);
    await checkPage(resident.page, `/apply/invite/${"A".repeat(43)}`, { lng, status: 404 });
    expect(await resident.page.locator("h1").innerText()).toBe(invite.closed.title);
  });
});
