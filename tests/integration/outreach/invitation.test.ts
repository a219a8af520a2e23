// The resident's side of outreach (issue 6 items 2 and 3): the invitation link
// opens a prefilled draft (nothing submitted) and sets the draft cookie; bad,
// old and spent links get one plain page (404/410); submitting the draft
// makes an "outreach" case and marks the lead applied in the same commit
// (conversion); the case page says why we contacted them; "don't check my
// records again" from the link or the case page records a ScreeningOptOut.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readApplyAnswers } from "~/domain/apply";
import { APPLY_DRAFT_COOKIE, submitApplyDraft } from "~/models/application-draft.server";
import { leadFunnel, sendLeadInvitation } from "~/models/outreach-leads.server";
import { screeningOptOutHashFor } from "~/models/outreach.server";
import Invitation, { action as inviteAction, loader as inviteLoader } from "~/routes/apply.invite.$token";
import TrackCase from "~/routes/track.case";
import { fixedT } from "~/services/i18n.server";
import { renderRoute } from "../callback/render";
import { db } from "~/services/db.server";
import { callRoute, signInAs, type TestStaffSession } from "../../support/staff";
import { APPLICANT_ID, POOR_HOUSEHOLD } from "../applications/helpers";
import { APPLICANT_PHONE, Browser } from "../track/helpers";

let staff: TestStaffSession;

beforeAll(async () => {
  staff = await signInAs("caseworker");
});
afterAll(() => db.$disconnect());

const REASONS = [
  { code: "outreach.likely_dibao", passed: true, values: { P: "300.00", S: "1000.00", H: "300.00", R: "0.00", members: 1 } },
  { code: "outreach.incomplete_records", passed: false, values: { skippedRows: 1, lines: "7" } },
];

async function makeLead(householdId: string, idNumber = APPLICANT_ID, phone = APPLICANT_PHONE) {
  return db.outreachLead.create({
    data: {
      householdId,
      dataDate: "2026-06-01",
      flags: '["likely_dibao"]',
      flagCount: 1,
      perCapitaIncomeFen: 30000,
      members: 1,
      reasons: JSON.stringify(REASONS),
      household: JSON.stringify(POOR_HOUSEHOLD),
      people: JSON.stringify([{ personId: "p1", name: "王秀英", idNumber, phone, mobile: `+86${phone}`, relation: "self" }]),
    },
  });
}

/** Sends the invitation as a caseworker would and returns the link's token from the text. */
async function invite(leadId: string, language: "zh-CN" | "en" = "en"): Promise<string> {
  const lead = await db.outreachLead.findUniqueOrThrow({ where: { id: leadId } });
  const sent = await sendLeadInvitation(db, { leadId, version: lead.updatedAt.toISOString(), language, who: { staffId: staff.staffId, actor: `staff:${staff.staffId}`, actorName: staff.username } });
  expect(sent).toEqual({ ok: true });
  const text = await db.outboxMessage.findFirstOrThrow({ where: { dedupeKey: { startsWith: "invite:" } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return text.body.match(/\/apply\/invite\/([A-Za-z0-9_-]+)/)![1];
}

function open(token: string, query = "") {
  return callRoute(inviteLoader, new Request(`http://localhost/apply/invite/${token}?lng=en${query}`), { params: { token } });
}

function post(token: string, fields: Record<string, string>) {
  return callRoute(
    inviteAction,
    new Request(`http://localhost/apply/invite/${token}?lng=en`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) }),
    { params: { token } },
  );
}

/** The text of rendered HTML with the entities React writes turned back into characters. */
function unescaped(html: string): string {
  return html.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function draftIdOf(headers: Headers): string | null {
  return headers.get("Set-Cookie")?.match(new RegExp(`${APPLY_DRAFT_COOKIE}=([0-9a-f]{32})`))?.[1] ?? null;
}

describe("the invitation link", () => {
  let leadId: string;
  let token: string;
  let draftId: string;

  it("opens a draft prefilled from the records and sets the draft cookie; nothing is submitted", async () => {
    leadId = (await makeLead("INV1")).id;
    token = await invite(leadId);
    const answer = await open(token);
    expect(answer.status).toBe(200);
    expect(answer.data).toMatchObject({ kind: "open" });
    draftId = draftIdOf(answer.headers)!;
    expect(draftId).toBeTruthy();
    const draft = await db.applicationDraft.findUniqueOrThrow({ where: { id: draftId } });
    const answers = readApplyAnswers(JSON.parse(draft.answers));
    expect(answers).toMatchObject({ forWhom: "self", applicant: { name: "王秀英", idNumber: APPLICANT_ID, phone: `+86${APPLICANT_PHONE}` }, outreachLeadId: leadId });
    expect(answers.household).toEqual(POOR_HOUSEHOLD);
    expect(answers.district).toBeUndefined();
    expect(answers.submissionToken).toBeUndefined();
    expect(draft.submittedReference).toBeNull();
    expect(await db.application.count({ where: { outreachLeadId: leadId } })).toBe(0);
    const invitation = await db.outreachInvitation.findFirstOrThrow({ where: { leadId } });
    expect(invitation.draftId).toBe(draftId);
    expect(invitation.usedAt).toBeInstanceOf(Date);
  });

  it("opened again, it reopens the same draft (a phone's link preview does not use it up)", async () => {
    const again = await open(token);
    expect(again.status).toBe(200);
    expect(draftIdOf(again.headers)).toBe(draftId);
    expect(await db.applicationDraft.count({ where: { answers: { contains: leadId } } })).toBe(1);
  });

  it("unknown and malformed tokens get 404, an expired one 410, all with the same words", async () => {
    for (const bad of ["A".repeat(43), "x", "../../etc"]) {
      const answer = await open(bad);
      expect(answer.status).toBe(404);
      expect(answer.data).toMatchObject({ kind: "closed" });
      expect(answer.headers.get("Set-Cookie")).toBeNull();
    }
    const other = await makeLead("INV-OLD", "110101195001011239", "13912345678");
    const oldToken = await invite(other.id);
    await db.outreachInvitation.updateMany({ where: { leadId: other.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await open(oldToken);
    expect(expired.status).toBe(410);
    expect(expired.data).toMatchObject({ kind: "closed" });
    expect(expired.headers.get("Set-Cookie")).toBeNull();
  });

  it("submitting the draft makes an outreach case and marks the lead applied in the same commit; the link is then spent (410)", async () => {
    const draft = await db.applicationDraft.findUniqueOrThrow({ where: { id: draftId } });
    const answers = { ...JSON.parse(draft.answers), callMe: "no", programs: ["dibao"], documentsDone: true, district: "east", submissionToken: "tok-1" };
    await db.applicationDraft.update({ where: { id: draftId }, data: { answers: JSON.stringify(answers) } });
    const result = await submitApplyDraft(db, { draftId, token: "tok-1", household: POOR_HOUSEHOLD, language: "en" });
    expect(result.ok).toBe(true);
    const app = await db.application.findFirstOrThrow({ where: { outreachLeadId: leadId } });
    expect(app.channel).toBe("outreach");
    const lead = await db.outreachLead.findUniqueOrThrow({ where: { id: leadId } });
    expect(lead).toMatchObject({ status: "applied", applicationId: app.id });
    expect((await open(token)).status).toBe(410);

    const before = await leadFunnel(db, "2026-06-01");
    expect(before).toMatchObject({ applied: 1, approved: 0 });
    await db.application.update({ where: { id: app.id }, data: { status: "public_notice" } });
    expect((await leadFunnel(db, "2026-06-01")).approved).toBe(1);
    await db.application.update({ where: { id: app.id }, data: { status: "submitted" } });
  });

  it("the case page says the case began from outreach and why (the flags with their figures), and offers the opt-out", async () => {
    const browser = new Browser("203.0.113.9", "en");
    const reference = (await db.application.findFirstOrThrow({ where: { outreachLeadId: leadId } })).reference;
    const signedIn = await browser.signIn(reference, APPLICANT_PHONE);
    expect(signedIn.location).toBe("/track/case");
    const page = await browser.casePage();
    expect(page.status).toBe(200);
    const screening = page.data!.screening as { outreach: { dataDate: string; reasons: string[] }; optedOut: boolean; mayOptOut: boolean };
    expect(screening.outreach.dataDate).toBe("2026-06-01");
    // Only the flags: the staff-only note about unreadable file lines is left out.
    expect(screening.outreach.reasons).toHaveLength(1);
    expect(screening.outreach.reasons[0]).toContain("300.00");
    expect(screening.outreach.reasons[0]).toContain("1000.00");
    expect(screening).toMatchObject({ optedOut: false, mayOptOut: true });

    const opted = await browser.caseAction({ intent: "optOut" });
    expect(opted.status).toBe(200);
    expect(opted.data).toMatchObject({ optedOut: true });
    expect(await db.screeningOptOut.findUnique({ where: { idHash: screeningOptOutHashFor(APPLICANT_ID) } })).toMatchObject({ source: "web" });
    // Sent twice, still one record.
    await browser.caseAction({ intent: "optOut" });
    expect(await db.screeningOptOut.count()).toBe(1);
    const after = await browser.casePage();
    expect((after.data!.screening as { optedOut: boolean }).optedOut).toBe(true);
    // As the page shows it: why we contacted them, and that they opted out.
    const html = unescaped(renderRoute(TrackCase, { path: "/track/case", url: "/track/case?lng=en", lng: "en", loaderData: after.data }));
    const t = fixedT("en", "invite");
    expect(html).toContain(t("case.heading"));
    expect(html).toContain(screening.outreach.reasons[0]);
    expect(html).toContain(t("caseOptOut.already"));
    expect(html).not.toContain(`value="optOut"`);
    const audit = await db.auditEntry.findFirst({ where: { action: "screening_opt_out", subjectType: "application" } });
    expect(audit?.detail).not.toContain(APPLICANT_ID);
  });
});

describe("don't check my records again, from the invitation", () => {
  it("records the opt-out of the person the text went to, closes the lead and says so; the link then opens nothing", async () => {
    const id = "110101198507071232";
    const lead = await makeLead("INV-OPT", id, "13700137000");
    const token = await invite(lead.id, "zh-CN");
    expect((await post(token, {})).status).toBe(400);
    const answer = await post(token, { intent: "optOut" });
    expect(answer.status).toBe(303);
    expect(answer.location).toBe(`/apply/invite/${token}?done=optOut`);
    const confirmation = await open(token, "&done=optOut");
    expect(confirmation.status).toBe(200);
    expect(confirmation.data).toMatchObject({ kind: "optedOut" });
    expect(await db.screeningOptOut.findUnique({ where: { idHash: screeningOptOutHashFor(id) } })).not.toBeNull();
    expect(await db.outreachLead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ status: "dismissed", dismissReason: "opted_out" });
    expect((await open(token)).status).toBe(410);
    // The confirmation is not shown for a token that did not opt out.
    expect((await open("B".repeat(43), "&done=optOut")).status).toBe(404);
    expect((await post("B".repeat(43), { intent: "optOut" })).status).toBe(404);
  });
});

describe("the invitation pages as HTML", () => {
  it.each(["zh-CN", "en"] as const)("say each state in plain words in %s, with no untranslated key", (lng) => {
    const t = fixedT(lng, "invite");
    for (const [kind, words] of [
      ["open", [t("open.title"), t("open.nothingSent"), t("optOut.button")]],
      ["closed", [t("closed.title"), t("closed.body")]],
      ["optedOut", [t("optedOut.title"), t("optedOut.body")]],
    ] as const) {
      const html = unescaped(renderRoute(Invitation, { path: "/apply/invite/:token", url: `/apply/invite/x?lng=${lng}`, lng, loaderData: { kind, title: "" } }));
      for (const w of words) expect(html).toContain(w);
      expect(html.replace(/<[^>]+>/g, " ")).not.toMatch(/\b(open|closed|optOut|optedOut)\.[a-zA-Z]+\b/);
    }
  });
});
