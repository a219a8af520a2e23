// The case list (filters, pages, masked names, overdue, audited) and the case
// page (masked identity, household, results with their explanation, evidence
// links, timeline; audited), plus: one case's page never shows another case's
// records, and the staff JSON API's views are audited too.
import { beforeAll, describe, expect, it } from "vitest";
import { loader as apiLoader } from "~/routes/api.v1.staff.cases.$reference";
import type { SerializeFrom } from "@remix-run/node";
import CasePage, { type loader as caseLoader } from "~/routes/staff.cases.$reference";
import { loader as listLoader } from "~/routes/staff.cases._index";
import CaseList from "~/routes/staff.cases._index";
import { db } from "~/services/db.server";
import { callLoader, makeTemporaryUploadDir, STAFF_TOKEN, bearer } from "../applications/helpers";
import { renderRoute } from "../callback/render";
import { callRoute, signInAs, staffGet, type TestStaffSession } from "../../support/staff";
import { addPdf, auditOf, makeCase, openCase, type MadeCase } from "./case-fixtures";

let caseworker: TestStaffSession;

beforeAll(async () => {
  makeTemporaryUploadDir();
  caseworker = await signInAs("caseworker");
});

type ListData = {
  rows: Array<{ reference: string; status: string; channel: string; maskedName: string; overdue: boolean; programs: string[] }>;
  total: number;
  page: number;
  next: string | null;
  previous: string | null;
};

async function list(query: string): Promise<ListData> {
  const answer = await callRoute(listLoader as never, staffGet(`/staff/cases${query}`, caseworker));
  expect(answer.status).toBe(200);
  return answer.data as unknown as ListData;
}

describe("the case list", () => {
  const made: MadeCase[] = [];
  beforeAll(async () => {
    // Written directly (the submit path is tested elsewhere): only what the list reads matters here.
    const base = Date.now();
    await db.application.createMany({
      data: Array.from({ length: 55 }, (_, i) => ({
        reference: `LA-LIST-${String(i).padStart(4, "0")}`,
        status: "submitted",
        channel: "web",
        language: "zh-CN",
        applicantName: `列表${String(i).padStart(2, "0")}号`,
        applicantIdNumber: "110105194912310000",
        applicantPhone: `+861370001${String(i).padStart(4, "0")}`,
        household: "{}",
        programs: JSON.stringify(i % 2 === 0 ? ["dibao"] : ["dibao", "employment"]),
        results: "{}",
        rulesVersion: "demo-city@2026-01-01",
        submittedAt: new Date(base - i * 60_000),
      })),
    });
    for (let i = 0; i < 55; i++) made.push({ id: "", reference: `LA-LIST-${String(i).padStart(4, "0")}`, name: "", applicantPhone: "", proxyPhone: null });
    // Spread: statuses, channels, districts, and some old cases.
    await db.application.updateMany({ where: { reference: { in: made.slice(0, 10).map((c) => c.reference) } }, data: { status: "screening", district: "东城区" } });
    await db.application.updateMany({ where: { reference: { in: made.slice(10, 13).map((c) => c.reference) } }, data: { channel: "partner" } });
    await db.application.updateMany({ where: { reference: { in: made.slice(13, 16).map((c) => c.reference) } }, data: { submittedAt: new Date("2025-01-06T02:00:00Z") } });
    await db.application.update({ where: { reference: made[16].reference }, data: { submittedAt: new Date("2025-01-06T02:00:00Z"), status: "approved" } });
  });

  it("shows 50 a page, newest first, with a link to the next page, and masks names", async () => {
    const first = await list("");
    expect(first.total).toBe(55);
    expect(first.rows).toHaveLength(50);
    expect(first.next).toBe("/staff/cases?page=2");
    expect(first.previous).toBeNull();
    const second = await list("?page=2");
    expect(second.rows).toHaveLength(5);
    expect(second.next).toBeNull();
    const all = [...first.rows, ...second.rows].map((r) => r.reference);
    expect(new Set(all).size).toBe(55);
    for (const row of first.rows) expect(row.maskedName).toMatch(/^列\*$/);
  });

  it("filters by status, channel, district and programme", async () => {
    expect((await list("?status=screening")).rows.map((r) => r.reference).sort()).toEqual(made.slice(0, 10).map((c) => c.reference).sort());
    expect((await list("?channel=partner")).total).toBe(3);
    expect((await list("?district=%E4%B8%9C%E5%9F%8E%E5%8C%BA")).total).toBe(10);
    const employment = await list("?program=employment");
    expect(employment.total).toBe(27);
    for (const row of employment.rows) expect(row.programs).toContain("employment");
    expect((await list("?status=screening&channel=partner")).total).toBe(0);
  });

  it("overdue: undecided and sent more than 10 working days ago (a decided old case is not)", async () => {
    const overdue = await list("?overdue=1");
    expect(overdue.rows.map((r) => r.reference).sort()).toEqual(made.slice(13, 16).map((c) => c.reference).sort());
    for (const row of overdue.rows) expect(row.overdue).toBe(true);
    expect((await list("?overdue=1&status=approved")).total).toBe(0);
    const tagged = (await list("?page=2")).rows.concat((await list("")).rows).filter((r) => r.overdue);
    expect(tagged).toHaveLength(3);
  });

  it("ignores filter values no form sends instead of failing", async () => {
    expect((await list("?status=nonsense&channel=%3Cscript%3E&page=-3")).total).toBe(55);
    expect((await list("?page=999")).rows).toHaveLength(0);
  });

  it("audits each view with the filters, never a name", async () => {
    const before = await db.auditEntry.count({ where: { action: "view_case_list" } });
    await list("?status=screening");
    const entries = await db.auditEntry.findMany({ where: { action: "view_case_list" }, orderBy: { seq: "desc" }, take: 1 });
    expect(await db.auditEntry.count({ where: { action: "view_case_list" } })).toBe(before + 1);
    expect(entries[0].actor).toBe(`staff:${caseworker.staffId}`);
    expect(JSON.parse(entries[0].detail)).toMatchObject({ filters: { status: "screening" }, page: 1, shown: 10 });
    expect(entries[0].detail).not.toContain("列表");
  });

  it("renders as a GET form and a table, in both languages", async () => {
    for (const lng of ["zh-CN", "en"] as const) {
      const answer = await callRoute(listLoader as never, staffGet(`/staff/cases?status=screening&lng=${lng}`, caseworker));
      const html = renderRoute(CaseList, { path: "/staff/cases", url: `/staff/cases?status=screening&lng=${lng}`, lng, loaderData: answer.data });
      expect(html).toContain('method="get"');
      expect(html).toContain(made[0].reference);
      expect(html).not.toContain("列表00号");
      expect(html).toContain(lng === "en" ? "Being checked" : "正在核对");
    }
  });
});

describe("the case page", () => {
  it("shows the applicant masked, the household, the results with their explanation and rules version, documents and timeline; audited", async () => {
    const c = await makeCase({ language: "en" });
    const evidenceId = await addPdf(c.id);
    const answer = await openCase(caseworker, c.reference, "?lng=en");
    expect(answer.status).toBe(200);
    const data = answer.data as unknown as SerializeFrom<typeof caseLoader>;
    expect(data.applicant.name).toBe(c.name);
    expect(data.applicant.idNumber).toMatch(/^\d{3}\*+\w{4}$/);
    expect(data.applicant.phone).not.toBe(c.applicantPhone);
    expect(data.applicant.phone).toMatch(/\*/);
    expect(data.proxy?.phone).toMatch(/\*/);
    expect(data.proxy?.relationship).toBe("Their child");
    expect(data.household.members[0].rows).toContainEqual({ label: "income each month", value: "200 yuan" });
    expect(data.rulesVersion).toMatch(/^demo-city@/);
    const dibao = data.results.find((r: { program: string }) => r.program === "dibao");
    expect(dibao).toMatchObject({ appliedFor: true, outcome: "eligible" });
    expect(dibao?.reasons.length).toBeGreaterThan(0);
    expect(dibao?.reasons[0].text).not.toMatch(/rules:/);
    expect(data.evidence).toEqual([expect.objectContaining({ id: evidenceId, href: `/staff/cases/${c.reference}/evidence/${evidenceId}`, format: "PDF" })]);
    expect(data.timeline.map((e: { text: string }) => e.text)).toEqual(["Sent to us (Sent to us).", "Document received: ID card."]);
    expect(data.amounts).toEqual([{ program: expect.any(String), amount: expect.stringContaining("800") }]);
    const audit = await auditOf(c.reference, "view_case");
    expect(audit).toHaveLength(1);
    expect(audit[0].actor).toBe(`staff:${caseworker.staffId}`);
    expect(audit[0].detail).not.toContain(c.name);
  });

  it("is 404 for an unknown or malformed reference (and nothing is audited)", async () => {
    const before = await db.auditEntry.count();
    expect((await openCase(caseworker, "LA-2222-2222")).status).toBe(404);
    expect((await openCase(caseworker, "../../etc")).status).toBe(404);
    expect(await db.auditEntry.count()).toBe(before);
  });

  it("never shows another case's records: case A's page HTML has none of case B's name, reference or evidence ids", async () => {
    const a = await makeCase({ name: "甲某某" });
    const b = await makeCase({ name: "乙某某" });
    await addPdf(a.id);
    const bEvidence = [await addPdf(b.id), await addPdf(b.id, "household_register")];
    for (const lng of ["zh-CN", "en"] as const) {
      const answer = await openCase(caseworker, a.reference, `?lng=${lng}`);
      const html = renderRoute(CasePage, { path: "/staff/cases/:reference", url: `/staff/cases/${a.reference}?lng=${lng}`, lng, loaderData: answer.data });
      expect(html).toContain(a.reference);
      expect(html).toContain("甲某某");
      expect(html).not.toContain("乙某某");
      expect(html).not.toContain(b.reference);
      for (const id of bEvidence) expect(html).not.toContain(id);
      expect(html).not.toContain(b.applicantPhone.slice(-4));
    }
  });

  it("renders the actions as plain forms with the CSRF field, and a download link per document", async () => {
    const c = await makeCase();
    const evidenceId = await addPdf(c.id);
    const answer = await openCase(caseworker, c.reference);
    const html = renderRoute(CasePage, { path: "/staff/cases/:reference", url: `/staff/cases/${c.reference}`, lng: "zh-CN", loaderData: answer.data });
    expect(html).toContain(`href="/staff/cases/${c.reference}/evidence/${evidenceId}"`);
    expect(html).toMatch(/<form method="post"[^>]*>(?:(?!<\/form>).)*name="csrf"/s);
    expect(html).toContain('value="screening"');
  });
});

describe("the staff JSON API", () => {
  it("answers per contract and audits each view with the token that looked", async () => {
    const c = await makeCase();
    const reply = await callLoader(apiLoader as never, new Request(`http://localhost/api/v1/staff/cases/${c.reference}`, { headers: bearer(STAFF_TOKEN) }), { reference: c.reference });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ reference: c.reference, status: "submitted", channel: "web" });
    const audit = await auditOf(c.reference, "view_case");
    expect(audit).toHaveLength(1);
    expect(audit[0].actor).toBe("env-staff");
    expect(JSON.parse(audit[0].detail)).toMatchObject({ via: "api" });
  });

  it("audits nothing for a refused or unknown request", async () => {
    const before = await db.auditEntry.count();
    await callLoader(apiLoader as never, new Request("http://localhost/api/v1/staff/cases/LA-2222-2222", { headers: bearer(STAFF_TOKEN) }), { reference: "LA-2222-2222" });
    await callLoader(apiLoader as never, new Request("http://localhost/api/v1/staff/cases/LA-2222-2222"), { reference: "LA-2222-2222" });
    expect(await db.auditEntry.count()).toBe(before);
  });
});

describe("the decision letter", () => {
  it("is 404 before a decision; after one it is in the application's language, switchable, with the review deadline; audited", async () => {
    const { loader: letterLoader } = await import("~/routes/staff.cases.$reference_.letter");
    const supervisor = await signInAs("supervisor");
    const c = await makeCase({ language: "en" });
    const letter = (query = "") => callRoute(letterLoader as never, staffGet(`/staff/cases/${c.reference}/letter${query}`, supervisor), { params: { reference: c.reference } });
    expect((await letter()).status).toBe(404);

    const { actOnCase } = await import("./case-fixtures");
    await actOnCase(supervisor, c.reference, { intent: "screening" });
    await actOnCase(supervisor, c.reference, { intent: "reject", reasons: ["income_above_line"] });
    const en = await letter();
    expect(en.status).toBe(200);
    const data = en.data as { letterLanguage: string; switchTo: string; letter: { reasons: string[]; review: string; to: string } };
    expect(data.letterLanguage).toBe("en");
    expect(data.switchTo).toBe("zh-CN");
    expect(data.letter.reasons).toEqual(["Your household's income is above the line for this help."]);
    expect(data.letter.review).toMatch(/within 60 days/);
    expect(data.letter.to).toContain(c.name);
    const zh = (await letter("?letter=zh-CN")).data as typeof data;
    expect(zh.letterLanguage).toBe("zh-CN");
    expect(zh.letter.review).toMatch(/60 天内/);
    expect(await auditOf(c.reference, "view_letter")).toHaveLength(2);
  });
});
