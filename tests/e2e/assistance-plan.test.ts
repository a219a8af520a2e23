// Issue 9 end to end, on a server of its own (the built app, as `npm start`,
// on a SQLite file this test also opens, so it can stand in for the staff
// and partner clicks and for 30 days passing): a case made through the
// partner API is approved; its plan is proposed and agreed (the PLAN model
// functions), which sends a referral for care of a severely disabled member;
// the organisation accepts it and reports delivery (the PARTNER model); the
// follow-up falls due and the job asks; the question reaches the phone
// simulator; the resident texts "1" and "5" through the simulator (the real
// webhook-side queue, inbox worker and dialogs of the server) and the answer
// is recorded; the staff dashboard and its CSV show it. Then /track/case
// with the follow-up form, and /track/follow-up with its errors, pass the
// page checks (axe WCAG 2.2 AA, 320 px, keyboard) in both languages.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { idCheckCharacter } from "~/domain/identity";
import enFollowup from "../../public/locales/en/followup.json";
import zhFollowup from "../../public/locales/zh-CN/followup.json";
import { startServerProcess, type ServerProcess } from "../support/app-server";
import { launchChromium } from "../support/browser";
import { checkCurrentPage, type Lng } from "../support/check-page";
import type { Browser } from "playwright-core";
import { signIn } from "../support/staff-browser";

const FOLLOWUP = { "zh-CN": zhFollowup, en: enFollowup } as const;
const DEMO_PARTNER_TOKEN = "ll_demo_partner_token";
const ID_NUMBER = "11010519491231002" + idCheckCharacter("11010519491231002");
const WAIT_MS = 20_000;

/** An adult on a small income (dibao, everything answered) caring for a son with a severe disability: the care need. */
const HOUSEHOLD = {
  members: [
    { relation: "self", age: 45, monthlyIncome: 200, disability: "none", canWork: true, employed: false, student: "none" },
    { relation: "child", age: 20, monthlyIncome: 0, disability: "severe", canWork: false, employed: false, student: "none" },
  ],
  supporters: { hasCapableSupporter: false },
  assets: { financial: 0, vehicles: 0, properties: 1 },
  annualMedicalOutOfPocket: 0,
  annualEducationCost: 0,
  housing: { ownsHome: true, perCapitaArea: 30 },
  emergency: { type: "none", lossAmount: 0 },
  disasterAffected: false,
};

type Models = {
  db: import("~/services/db.server").Db;
  changeStatus: typeof import("~/models/application.server").changeStatus;
  approveCase: typeof import("~/models/case-review.server").approveCase;
  proposePlan: typeof import("~/models/plan.server").proposePlan;
  choosePlanService: typeof import("~/models/plan.server").choosePlanService;
  agreePlan: typeof import("~/models/plan.server").agreePlan;
  answerReferral: typeof import("~/models/referral.server").answerReferral;
  runFollowUps: typeof import("~/services/follow-up.server").runFollowUps;
};

let server: ServerProcess;
let dataDir: string;
let m: Models;
let browser: Browser;

beforeAll(async () => {
  dataDir = path.resolve("data", `e2e-plan-${crypto.randomBytes(6).toString("hex")}`);
  const secret = crypto.randomBytes(32).toString("hex");
  server = await startServerProcess({ dataDir, env: { SESSION_SECRET: secret, STAFF_API_TOKEN: "e2e-staff-token-0123456789" }, keepLines: 200 });
  // This process opens the same database file (WAL: the server and the test take turns writing).
  process.env.DATABASE_URL = `file:${path.join(dataDir, "app.db")}`;
  process.env.SESSION_SECRET = secret;
  process.env.PUBLIC_URL = server.baseURL;
  const dbModule = await import("~/services/db.server");
  m = {
    db: dbModule.db,
    changeStatus: (await import("~/models/application.server")).changeStatus,
    approveCase: (await import("~/models/case-review.server")).approveCase,
    ...(await import("~/models/plan.server")),
    answerReferral: (await import("~/models/referral.server")).answerReferral,
    runFollowUps: (await import("~/services/follow-up.server")).runFollowUps,
  } as Models;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await m?.db.$disconnect();
  await server?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Runs a model call of this process again when the server's own write got in
 * between (two processes on one SQLite file: a transaction that read before
 * the other's commit cannot write; it rolls back and is simply run again).
 */
async function retrying<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (attempt >= 20 || !/timed out|busy|locked/i.test(message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

function freshMobile(): string {
  return `136${String(crypto.randomInt(0, 100_000_000)).padStart(8, "0")}`;
}

async function newPage(lng: Lng): Promise<Page> {
  // JavaScript on (the page checks run axe in the page); the forms then post as Remix fetches.
  const context = await browser.newContext({ baseURL: server.baseURL, locale: lng, viewport: { width: 1024, height: 768 } });
  return context.newPage();
}

async function createCase(page: Page, phone: string, lng: Lng): Promise<string> {
  const reply = await page.request.post("/api/v1/applications", {
    headers: { Authorization: `Bearer ${DEMO_PARTNER_TOKEN}` },
    data: { applicant: { name: "王秀英", idNumber: ID_NUMBER, phone, language: lng }, household: HOUSEHOLD, programs: ["dibao"] },
  });
  expect(reply.status(), await reply.text()).toBe(201);
  return ((await reply.json()) as { reference: string }).reference;
}

/** The texts the phone simulator shows for this phone, oldest first. */
async function simulatorTexts(page: Page, phone: string): Promise<string[]> {
  await page.goto(`/dev/sms?phone=${encodeURIComponent(`+86${phone}`)}`);
  return page.locator(".sms-text p[lang]").allInnerTexts();
}

async function waitForText(page: Page, phone: string, match: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = (await simulatorTexts(page, phone)).filter(match);
    if (found.length > 0) return found[found.length - 1];
    if (Date.now() > deadline) throw new Error(`no matching text within ${WAIT_MS / 1000} s: ${JSON.stringify(await simulatorTexts(page, phone))}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** The resident texts `body` from the simulated phone (the same queue and worker as a real text). */
async function textFrom(page: Page, phone: string, body: string): Promise<void> {
  const reply = await page.request.post("/dev/sms", { form: { intent: "send", phone: `+86${phone}`, body }, maxRedirects: 0 });
  expect(reply.status()).toBe(303);
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A staff member as the models expect them. */
async function staff(username: string) {
  const row = await m.db.staffUser.findUniqueOrThrow({ where: { username } });
  return { staffId: row.id, actor: `staff:${row.id}`, actorName: row.username };
}

/** An organisation with a care service (the demo catalogue may hold others). */
async function careService(): Promise<{ organisationId: string; serviceId: string }> {
  const organisation = await m.db.socialOrganisation.create({
    data: { name: "阳光助残社工站", district: "D01", contactName: "张老师", contactPhone: "+8610000000001", capacity: 50 },
  });
  const service = await m.db.organisationService.create({ data: { organisationId: organisation.id, name: "居家照护", needs: '["disability_care"]' } });
  return { organisationId: organisation.id, serviceId: service.id };
}

describe("assistance plan, referral and the resident's verdict by text", () => {
  it("approval → plan agreed → delivered → follow-up text → replies 1, 5 recorded → on the dashboard", async () => {
    const page = await newPage("zh-CN");
    const phone = freshMobile();
    const reference = await createCase(page, phone, "zh-CN");
    const { organisationId, serviceId } = await careService();

    // Approval (as the demo supervisor would on the case page).
    const supervisor = await staff("supervisor");
    expect((await retrying(() => m.changeStatus(m.db, { reference, to: "screening", actor: supervisor.actor }))).ok).toBe(true);
    const approved = await retrying(() => m.approveCase(m.db, { reference, who: supervisor, mayApproveLarge: true }));
    expect(approved.ok, JSON.stringify(approved)).toBe(true);

    // The plan: proposed from the case, the care service chosen, agreed with the resident.
    const caseworker = await staff("caseworker");
    const proposed = await retrying(() => m.proposePlan(m.db, { reference, who: caseworker }));
    expect(proposed.ok, JSON.stringify(proposed)).toBe(true);
    const app = await m.db.application.findUniqueOrThrow({ where: { reference }, select: { id: true } });
    const careItem = await m.db.planItem.findFirstOrThrow({ where: { plan: { applicationId: app.id }, kind: "service", need: "disability_care" } });
    if (careItem.serviceId !== serviceId) expect((await retrying(() => m.choosePlanService(m.db, { reference, itemId: careItem.id, serviceId, who: caseworker }))).ok).toBe(true);
    const agreed = await retrying(() => m.agreePlan(m.db, { reference, how: "phone", who: caseworker }));
    expect(agreed.ok, JSON.stringify(agreed)).toBe(true);
    const referral = await m.db.referral.findFirstOrThrow({ where: { applicationId: app.id, serviceId } });
    expect(referral.status).toBe("sent");

    // The organisation accepts and reports delivery.
    const partnerWho = { actor: "partner:e2e", auditActor: caseworker.actor, actorName: "partner" };
    expect(await retrying(() => m.answerReferral(m.db, { organisationId, referralId: referral.id, who: partnerWho, answer: { kind: "accept" } }))).toMatchObject({ ok: true });
    expect(await retrying(() => m.answerReferral(m.db, { organisationId, referralId: referral.id, who: partnerWho, answer: { kind: "deliver", note: "每周上门两次" } }))).toMatchObject({ ok: true });

    // 30 days later: the follow-up job asks, and the question reaches the phone.
    await m.db.referral.update({ where: { id: referral.id }, data: { followUpDueAt: new Date(Date.now() - 1000) } });
    const report = await retrying(() => m.runFollowUps(m.db));
    expect(report.asked).toBeGreaterThanOrEqual(1);
    const question = await waitForText(page, phone, (t) => t.includes("居家照护") && t.includes("回复1"));
    expect(question).toMatch(/^援手：“居家照护”这项帮助您得到了吗？/);

    // The resident texts 1 (yes), then 5 (very good).
    await textFrom(page, phone, "1");
    await waitForText(page, phone, (t) => t.startsWith("谢谢。您对这项帮助满意吗"));
    await textFrom(page, phone, "5");
    const row = await until(
      () => m.db.referral.findUniqueOrThrow({ where: { id: referral.id } }),
      (r) => r.satisfaction !== null,
    );
    expect(row).toMatchObject({ helpArrived: true, satisfaction: 5, answerChannel: "sms" });
    await waitForText(page, phone, (t) => t.includes("回复0跳过"));

    // The dashboard, signed in as the demo caseworker.
    const staffPage = await newPage("en");
    await signIn(staffPage, "caseworker");
    await staffPage.goto("/staff?lng=en");
    const section = await staffPage.locator("section.referral-figures").innerText();
    expect(section).toContain(enFollowup.dashboard.title);
    expect(section).toMatch(/Organisation says it was delivered\s+1/);
    expect(section).toMatch(/Text message\s+5\.0\s+1/);
    await checkCurrentPage(staffPage, { lng: "en" });
    const csv = await staffPage.request.get("/staff/dashboard/referrals.csv?lng=en");
    expect(csv.status()).toBe(200);
    const body = await csv.text();
    expect(body.charCodeAt(0)).toBe(0xfeff);
    expect(body).toContain("Satisfaction by channel,Text message,,,,5,1");
    await staffPage.context().close();
    await page.context().close();
  }, 180_000);
});

describe.each(["zh-CN", "en"] as const)("/track/case with the follow-up form (%s)", (lng) => {
  it("passes the page checks, and so does a refused answer", async () => {
    const page = await newPage(lng);
    const phone = freshMobile();
    const reference = await createCase(page, phone, lng);
    const { organisationId, serviceId } = await careService();
    const app = await m.db.application.findUniqueOrThrow({ where: { reference }, select: { id: true } });
    const plan = await m.db.assistancePlan.create({ data: { applicationId: app.id, status: "agreed", rulesVersion: "e2e", agreedAt: new Date() } });
    const item = await m.db.planItem.create({ data: { planId: plan.id, kind: "service", need: "disability_care", serviceId, reasonCode: "disability_severe", origin: "suggested" } });
    await m.db.referral.create({
      data: { planItemId: item.id, applicationId: app.id, organisationId, serviceId, status: "delivered", followUpDueAt: new Date(Date.now() - 1000) },
    });
    await retrying(() => m.runFollowUps(m.db));

    // Sign in to /track with the texted code.
    await page.goto(`/track?lng=${lng}`);
    await page.fill("#reference", reference);
    await page.fill("#phone", phone);
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL((u) => u.pathname === "/track/code");
    const codeText = await waitForText(page, phone, (t) => /\b\d{6}\b/.test(t));
    const code = /\b(\d{6})\b/.exec(codeText)![1];
    await page.goto(`/track/code?lng=${lng}`);
    await page.fill("#code", code);
    await page.locator('main form:first-of-type button[type="submit"]').click();
    await page.waitForURL((u) => u.pathname === "/track/case");

    const text = FOLLOWUP[lng];
    await checkCurrentPage(page, { lng });
    expect(await page.locator("#followup-heading").innerText()).toBe(text.form.heading);
    expect(await page.locator("section.followup legend").allInnerTexts()).toEqual([text.form.helpArrived, text.form.satisfaction]);

    // Sent without choosing: 400, "Error:" title, summary linking to the fields.
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.locator("section.followup form button[type=submit]").click()]);
    expect(response.status()).toBe(400);
    await page.locator(".error-summary").waitFor();
    expect(new URL(page.url()).pathname).toBe("/track/follow-up");
    await checkCurrentPage(page, { lng });
    const summary = await page.locator(".error-summary").innerText();
    expect(summary).toContain(text.errors.helpArrived);
    expect(summary).toContain(text.errors.satisfaction);

    // Answered: back on the case page with thanks.
    await page.locator("section.followup input[name=helpArrived][value=yes]").check();
    await page.locator("section.followup input[name=satisfaction][value='4']").check();
    await page.locator("section.followup form button[type=submit]").click();
    await page.waitForURL((u) => u.pathname === "/track/case");
    await page.getByText(text.form.answered).waitFor();
    await checkCurrentPage(page, { lng });
    await page.context().close();
  }, 180_000);
});
