// The outreach console (issue 6 item 2): a departmental CSV uploaded through
// the staff page is streamed to disk, screened in the background with the
// CLI's code and imported; bad files are refused with a plain message and a
// 4xx, nothing kept. The ranked list (order, filters, masked names, the
// conversion figures), a lead's page (masked until shown, each look audited)
// and its actions (contact, invitation text, dismiss) with 400 on bad input
// and 409 on a stale page.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { smsSegments } from "~/domain/sms/segments";
import { invitationText } from "~/models/outreach-leads.server";
import { claimUpload } from "~/models/outreach-upload.server";
import { action as leadAction, loader as leadLoader } from "~/routes/staff.outreach.$id";
import { loader as listLoader } from "~/routes/staff.outreach._index";
import { action as uploadAction, loader as uploadLoader } from "~/routes/staff.outreach.upload";
import { loader as progressLoader } from "~/routes/staff.outreach.uploads.$id";
import { config } from "~/services/config.server";
import { db } from "~/services/db.server";
import { outreachScreeningsSettled, queueOutreachScreening, readOutreachUpload, resumeOutreachUploads, uploadDirectory, uploadFilePath } from "~/services/outreach-upload.server";
import { callRoute, signInAs, staffGet, staffPost, type TestStaffSession } from "../../support/staff";

const FIXTURE = fs.readFileSync(path.resolve("tests/fixtures/outreach/screening.csv"));
const HEADER = FIXTURE.toString("utf8").split("\n")[0];
const DATA_DATE = "2026-06-01";
const PERSONAL = ["王大明", "110101195001011239", "13800138000", "赵丽"];

let worker: TestStaffSession;
const logged: string[] = [];

beforeAll(async () => {
  worker = await signInAs("caseworker");
  for (const method of ["log", "info", "warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(" "));
    });
  }
});

afterAll(async () => {
  vi.restoreAllMocks();
  // No personal data of the file in the server's log or the audit log.
  const audit = JSON.stringify(await db.auditEntry.findMany());
  for (const value of PERSONAL) {
    expect(logged.join("\n")).not.toContain(value);
    expect(audit).not.toContain(value);
  }
  await db.$disconnect();
});

function uploadRequest(
  file: { bytes: Uint8Array | string; name: string } | null,
  { csrf = worker.csrf, dataDate = DATA_DATE, session = worker }: { csrf?: string | null; dataDate?: string; session?: TestStaffSession } = {},
): Request {
  const form = new FormData();
  if (csrf !== null) form.append("csrf", csrf);
  form.append("dataDate", dataDate);
  if (file) form.append("file", new Blob([typeof file.bytes === "string" ? file.bytes : Uint8Array.from(file.bytes)], { type: "text/csv" }), file.name);
  return new Request("http://localhost/staff/outreach/upload?lng=en", { method: "POST", headers: { Cookie: session.cookie }, body: form });
}

function storedFiles(): string[] {
  return fs.existsSync(uploadDirectory()) ? fs.readdirSync(uploadDirectory()) : [];
}

async function upload(bytes: Uint8Array | string, name = "records.csv", options: Parameters<typeof uploadRequest>[1] = {}) {
  return callRoute(uploadAction, uploadRequest({ bytes, name }, options));
}

describe("uploading a departmental file", () => {
  it("streams the file, screens it in the background and shows the summary; the file is then deleted", async () => {
    const answer = await upload(FIXTURE);
    expect(answer.status).toBe(303);
    const id = answer.location!.match(/^\/staff\/outreach\/uploads\/([0-9a-f-]{36})$/)?.[1];
    expect(id).toBeTruthy();
    await outreachScreeningsSettled();
    const row = await db.outreachUpload.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "done", rowsRead: 19, malformed: 8, households: 8, flagged: 5, imported: 5, bytes: FIXTURE.byteLength, bytesRead: FIXTURE.byteLength, dataDate: DATA_DATE });
    expect(storedFiles()).toEqual([]);

    const page = await callRoute(progressLoader, staffGet(`/staff/outreach/uploads/${id}?lng=en`, worker), { params: { id: id! } });
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ status: "done", percent: 100, rowsRead: 19, malformed: 8, flagged: 5, imported: 5, running: false, auto: false });
    const sample = page.data!.sample as Array<{ line: number; text: string }>;
    expect(sample[0]).toEqual({ line: 13, text: "age must be a whole number from 0 to 130" });
    expect(sample.map((s) => s.line)).toEqual([13, 14, 15, 16, 17, 18, 19, 20]);

    const leads = await db.outreachLead.findMany({ where: { dataDate: DATA_DATE } });
    expect(leads.map((l) => l.householdId).sort()).toEqual(["BAD", "C", "D", "E", "MED"]);
    const audit = await db.auditEntry.findFirst({ where: { action: "outreach_upload" } });
    expect(audit?.subjectId).toBe(id);
    expect(await db.auditEntry.count({ where: { action: "view_outreach_upload", subjectId: id } })).toBe(1);
  });

  it("uploading the same file again adds no lead twice and says how many were already there", async () => {
    const answer = await upload(FIXTURE);
    const id = answer.location!.split("/").pop()!;
    await outreachScreeningsSettled();
    const page = await callRoute(progressLoader, staffGet(`/staff/outreach/uploads/${id}?lng=en`, worker), { params: { id } });
    expect(page.data).toMatchObject({ status: "done", flagged: 5, imported: 0, alreadyThere: 5 });
    expect(await db.outreachLead.count({ where: { dataDate: DATA_DATE } })).toBe(5);
  });

  it("shows a running upload's progress and refreshes by itself only when asked", async () => {
    await db.outreachUpload.create({ data: { id: "00000000-0000-4000-8000-000000000001", uploadedById: worker.staffId, fileName: "big.csv", bytes: 1000, status: "running", bytesRead: 500, rowsRead: 42, dataDate: DATA_DATE } });
    const plain = await callRoute(progressLoader, staffGet("/staff/outreach/uploads/00000000-0000-4000-8000-000000000001", worker), { params: { id: "00000000-0000-4000-8000-000000000001" } });
    expect(plain.data).toMatchObject({ running: true, percent: 40, rowsRead: 42, auto: false });
    const auto = await callRoute(progressLoader, staffGet("/staff/outreach/uploads/00000000-0000-4000-8000-000000000001?auto=1", worker), { params: { id: "00000000-0000-4000-8000-000000000001" } });
    expect(auto.data).toMatchObject({ auto: true, refreshHref: "/staff/outreach/uploads/00000000-0000-4000-8000-000000000001?auto=1" });
    // Progress refreshes are not audited (counts only); the finished summary is (see the first test).
    expect(await db.auditEntry.count({ where: { action: "view_outreach_upload", subjectId: "00000000-0000-4000-8000-000000000001" } })).toBe(0);
    const missing = await callRoute(progressLoader, staffGet("/staff/outreach/uploads/nope", worker), { params: { id: "nope" } });
    expect(missing.status).toBe(404);
  });

  it("a restart resumes an interrupted upload from its file; one whose file is gone is marked failed", async () => {
    const id = "00000000-0000-4000-8000-0000000000bb";
    fs.mkdirSync(uploadDirectory(), { recursive: true });
    fs.writeFileSync(uploadFilePath(id), FIXTURE);
    await db.outreachUpload.create({ data: { id, uploadedById: worker.staffId, fileName: "x.csv", bytes: FIXTURE.byteLength, status: "running", bytesRead: 100, rowsRead: 3, dataDate: "2026-06-02" } });
    await resumeOutreachUploads();
    await outreachScreeningsSettled();
    expect(await db.outreachUpload.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "done", rowsRead: 19, flagged: 5, imported: 5 });
    // The running upload of the test above had no file on disk.
    expect(await db.outreachUpload.findUniqueOrThrow({ where: { id: "00000000-0000-4000-8000-000000000001" } })).toMatchObject({ status: "failed", error: "fileGone" });
    expect(storedFiles()).toEqual([]);
  });

  it("leaves an upload another instance is screening (its lease has not run out) to it, and takes it over once the lease has run out", async () => {
    const id = "00000000-0000-4000-8000-0000000000bd";
    fs.mkdirSync(uploadDirectory(), { recursive: true });
    fs.writeFileSync(uploadFilePath(id), FIXTURE);
    const held = new Date(Date.now() + 60_000);
    await db.outreachUpload.create({ data: { id, uploadedById: worker.staffId, fileName: "x.csv", bytes: FIXTURE.byteLength, status: "running", bytesRead: 100, rowsRead: 3, dataDate: "2026-06-03", leaseUntil: held } });
    await resumeOutreachUploads();
    await outreachScreeningsSettled();
    expect(await db.outreachUpload.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "running", rowsRead: 3, leaseUntil: held });
    expect(fs.existsSync(uploadFilePath(id))).toBe(true);
    // Of two claims at once, one wins.
    await db.outreachUpload.update({ where: { id }, data: { leaseUntil: new Date(Date.now() - 1000) } });
    expect((await Promise.all([claimUpload(db, id), claimUpload(db, id)])).filter(Boolean)).toHaveLength(1);
    await db.outreachUpload.update({ where: { id }, data: { leaseUntil: new Date(Date.now() - 1000) } });
    await resumeOutreachUploads();
    await outreachScreeningsSettled();
    expect(await db.outreachUpload.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "done", rowsRead: 19, leaseUntil: null });
    expect(fs.existsSync(uploadFilePath(id))).toBe(false);
  });

  it("screens and imports next to a request holding a write transaction, neither failing", async () => {
    const id = "00000000-0000-4000-8000-0000000000cc";
    fs.mkdirSync(uploadDirectory(), { recursive: true });
    fs.writeFileSync(uploadFilePath(id), FIXTURE);
    await db.outreachUpload.create({ data: { id, uploadedById: worker.staffId, fileName: "x.csv", bytes: FIXTURE.byteLength, dataDate: "2026-06-05" } });
    const holding = db.$transaction(async (tx) => {
      await tx.staffUser.update({ where: { id: worker.staffId }, data: { displayName: "Test caseworker (busy)" } });
      await new Promise((resolve) => setTimeout(resolve, 400));
      return tx.staffUser.update({ where: { id: worker.staffId }, data: { displayName: "Test caseworker" } });
    });
    const screening = queueOutreachScreening(id);
    await Promise.all([holding, screening]);
    expect(await db.outreachUpload.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "done", imported: 5 });
  });

  const refusals: Array<[string, Uint8Array | string, string, number, RegExp]> = [
    ["a file that is not named .csv", FIXTURE, "records.xlsx", 415, /must be a CSV file/],
    ["a spreadsheet (binary data)", Buffer.concat([Buffer.from("PK\u0003\u0004"), Buffer.alloc(10)]), "records.csv", 415, /not a text CSV file/],
    ["an empty file", "", "records.csv", 400, /empty/],
    ["a UTF-16 file", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER, "utf16le")]), "records.csv", 400, /UTF-16/],
    ["a GBK (not UTF-8) file", Buffer.concat([Buffer.from(`${HEADER}\nA,a1,`), Buffer.from([0xcd, 0xf5, 0xb4, 0xf3]), Buffer.from(",110101195001011239,,self,70,none,false,false,1,none,0,\n")]), "records.csv", 400, /not saved as UTF-8/],
    ["wrong headers", "household,person,name\nA,1,x\n", "records.csv", 400, /lacks these columns: household_id, person_id, id_number/],
    ["a header with a column twice", `${HEADER},name\n`, "records.csv", 400, /more than once: name/],
  ];
  it.each(refusals)("refuses %s with a plain message and a 4xx, keeping nothing", async (_what, bytes, name, status, message) => {
    const before = await db.outreachUpload.count();
    const answer = await upload(bytes, name);
    expect(answer.status).toBe(status);
    expect(String((answer.data!.errors as Record<string, string>).file)).toMatch(message);
    expect(await db.outreachUpload.count()).toBe(before);
    expect(storedFiles()).toEqual([]);
  });

  it("refuses a missing file and a bad date (400), and a post claiming more than 200 MB (413) before reading it", async () => {
    const none = await callRoute(uploadAction, uploadRequest(null));
    expect(none.status).toBe(400);
    expect((none.data!.errors as Record<string, string>).file).toBe("Choose a CSV file to upload");
    const badDate = await upload(FIXTURE, "records.csv", { dataDate: "2026-02-30" });
    expect(badDate.status).toBe(400);
    expect((badDate.data!.errors as Record<string, string>).dataDate).toMatch(/year-month-day/);
    const early = await upload(FIXTURE, "records.csv", { dataDate: "1999-01-01" });
    expect(early.status).toBe(400);
    expect((early.data!.errors as Record<string, string>).dataDate).toMatch(/No rules were in force/);
    const huge = await callRoute(
      uploadAction,
      new Request("http://localhost/staff/outreach/upload?lng=en", {
        method: "POST",
        headers: { Cookie: worker.cookie, "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(300 * 1024 * 1024) },
        body: "--x--\r\n",
      }),
    );
    expect(huge.status).toBe(413);
    expect((huge.data!.errors as Record<string, string>).file).toMatch(/larger than 200 MB/);
    expect(storedFiles()).toEqual([]);
  });

  it("stops a file that grows past the limit while streaming (413) and deletes what was written", async () => {
    const big = `${HEADER}\n${"MED,m1,x,110101195001011239,,self,70,none,false,false,1,none,0,\n".repeat(2000)}`;
    const result = await readOutreachUpload(uploadRequest({ bytes: big, name: "big.csv" }), { expectedCsrf: worker.csrf, maxBytes: 50_000 });
    expect(result).toMatchObject({ ok: false, status: 413, problem: { key: "tooLarge" } });
    expect(storedFiles()).toEqual([]);
  });

  it("a post without the CSRF token before the file is refused (403) and writes nothing", async () => {
    const before = await db.outreachUpload.count();
    for (const csrf of [null, "wrong-token"]) {
      const answer = await callRoute(uploadAction, uploadRequest({ bytes: FIXTURE, name: "records.csv" }, { csrf }));
      expect(answer.status).toBe(403);
    }
    expect(await db.outreachUpload.count()).toBe(before);
    expect(storedFiles()).toEqual([]);
  });

  it("an admin may not upload or see uploads", async () => {
    const admin = await signInAs("admin");
    expect((await callRoute(uploadLoader, staffGet("/staff/outreach/upload", admin))).status).toBe(403);
    expect((await callRoute(uploadAction, uploadRequest({ bytes: FIXTURE, name: "records.csv" }, { session: admin, csrf: admin.csrf }))).status).toBe(403);
  });
});

async function leadOf(householdId: string) {
  return db.outreachLead.findUniqueOrThrow({ where: { householdId_dataDate: { householdId, dataDate: DATA_DATE } } });
}

async function act(householdId: string, fields: Record<string, string>, session = worker) {
  const lead = await leadOf(householdId);
  return callRoute(leadAction, staffPost(`/staff/outreach/${lead.id}?lng=en`, session, { version: lead.updatedAt.toISOString(), ...fields }), { params: { id: lead.id } });
}

describe("the ranked list", () => {
  it("ranks by flags, then income per person, then household id; names masked; every look audited", async () => {
    const answer = await callRoute(listLoader, staffGet(`/staff/outreach?lng=en&dataDate=${DATA_DATE}`, worker));
    expect(answer.status).toBe(200);
    const rows = answer.data!.rows as Array<{ householdId: string; name: string; rank: number; flags: string[] }>;
    expect(rows.map((r) => r.householdId)).toEqual(["MED", "BAD", "C", "D", "E"]);
    expect(rows[0]).toMatchObject({ rank: 1, name: "王*明", flags: ["medical_no_labour", "likely_dibao"] });
    const text = JSON.stringify(answer.data);
    for (const value of PERSONAL) expect(text).not.toContain(value);
    expect(await db.auditEntry.count({ where: { action: "view_outreach_list" } })).toBeGreaterThan(0);
  });

  it("filters by flag, status and data date; values no form sends are ignored", async () => {
    const byFlag = await callRoute(listLoader, staffGet(`/staff/outreach?flag=medical_no_labour&dataDate=${DATA_DATE}`, worker));
    expect((byFlag.data!.rows as Array<{ householdId: string }>).map((r) => r.householdId)).toEqual(["MED"]);
    const byStatus = await callRoute(listLoader, staffGet("/staff/outreach?status=dismissed", worker));
    expect(byStatus.data!.total).toBe(0);
    const otherDate = await callRoute(listLoader, staffGet("/staff/outreach?dataDate=2026-07-01", worker));
    expect(otherDate.data!.total).toBe(0);
    const junk = await callRoute(listLoader, staffGet("/staff/outreach?flag=%22&status=x&dataDate=soon&page=-3", worker));
    expect(junk.data!.total).toBe(await db.outreachLead.count());
    expect(junk.data!.filters).toEqual({ flag: "", status: "", dataDate: "" });
  });

  it("is for staff with outreach.view only", async () => {
    const admin = await signInAs("admin");
    expect((await callRoute(listLoader, staffGet("/staff/outreach", admin))).status).toBe(403);
    const anonymous = await callRoute(listLoader, staffGet("/staff/outreach", null));
    expect(anonymous.status).toBe(303);
  });
});

describe("a lead", () => {
  it("explains the flags with their figures and masks the people until asked; both looks are audited", async () => {
    const lead = await leadOf("MED");
    const masked = await callRoute(leadLoader, staffGet(`/staff/outreach/${lead.id}?lng=en`, worker), { params: { id: lead.id } });
    expect(masked.status).toBe(200);
    const reasons = masked.data!.reasons as Array<{ text: string }>;
    expect(reasons[0].text).toContain("62000.00");
    expect(reasons[0].text).toContain("no main earner");
    const people = masked.data!.people as Array<{ name: string; idNumber: string; phone: string }>;
    expect(people[0]).toMatchObject({ name: "王*明", idNumber: "110***********1239", phone: "138****8000" });
    for (const value of PERSONAL) expect(JSON.stringify(masked.data)).not.toContain(value);

    const shown = await callRoute(leadLoader, staffGet(`/staff/outreach/${lead.id}?show=1`, worker), { params: { id: lead.id } });
    expect((shown.data!.people as Array<{ name: string }>).map((p) => p.name)).toEqual(["王大明", "赵丽"]);
    const views = await db.auditEntry.findMany({ where: { subjectId: lead.id, action: { in: ["view_outreach_lead", "view_outreach_people"] } } });
    expect(views.map((v) => v.action)).toEqual(["view_outreach_lead", "view_outreach_people"]);
    expect(views[1].actor).toBe(`staff:${worker.staffId}`);
  });

  it("an unknown lead is 404", async () => {
    expect((await callRoute(leadLoader, staffGet("/staff/outreach/nope", worker), { params: { id: "nope" } })).status).toBe(404);
  });

  it("logs a contact attempt: new → contacted, audited; a bad form is 400 with the problems", async () => {
    const bad = await act("D", { intent: "contact", kind: "telepathy", note: "x".repeat(501) });
    expect(bad.status).toBe(400);
    expect(bad.data!.errors).toEqual({ kind: "Choose how you tried to contact them", outcome: "Choose what happened", "contact-note": "The note must be 500 characters or fewer" });
    const ok = await act("D", { intent: "contact", kind: "call", outcome: "no_answer", note: "try the evening" });
    expect(ok.status).toBe(303);
    expect(ok.location).toMatch(/\?done=contact$/);
    const lead = await leadOf("D");
    expect(lead.status).toBe("contacted");
    const contacts = await db.outreachContact.findMany({ where: { leadId: lead.id } });
    expect(contacts).toMatchObject([{ kind: "call", outcome: "no_answer", note: "try the evening", staffId: worker.staffId }]);
    const audit = await db.auditEntry.findFirst({ where: { action: "outreach_contact", subjectId: lead.id } });
    expect(JSON.parse(audit!.detail)).toMatchObject({ kind: "call", outcome: "no_answer" });
  });

  it("refuses an action from a page opened before someone else acted (409), changing nothing", async () => {
    const lead = await leadOf("D");
    const old = new Date(lead.updatedAt.getTime() - 1000).toISOString();
    const answer = await callRoute(leadAction, staffPost(`/staff/outreach/${lead.id}?lng=en`, worker, { version: old, intent: "dismiss", reason: "moved_away" }), { params: { id: lead.id } });
    expect(answer.status).toBe(409);
    expect(answer.data!.message).toMatch(/Someone changed this household/);
    expect((await leadOf("D")).status).toBe("contacted");
  });

  it("texts an invitation to the head of the household: token only hashed, ≤ 3 segments, status invited, logged as a contact", async () => {
    const answer = await act("MED", { intent: "invite", language: "zh-CN" });
    expect(answer.status).toBe(303);
    const lead = await leadOf("MED");
    expect(lead.status).toBe("invited");
    const text = await db.outboxMessage.findFirstOrThrow({ where: { to: "+8613800138000" }, orderBy: { createdAt: "desc" } });
    expect(text.language).toBe("zh-CN");
    const token = text.body.match(/\/apply\/invite\/([A-Za-z0-9_-]+)/)![1];
    expect(text.body).toContain(`${config().publicUrl}/apply/invite/${token}`);
    expect(smsSegments(text.body).segments).toBeLessThanOrEqual(3);
    const invitation = await db.outreachInvitation.findFirstOrThrow({ where: { leadId: lead.id } });
    expect(invitation.tokenHash).not.toContain(token);
    expect(JSON.stringify(invitation)).not.toContain(token);
    expect(invitation.expiresAt.getTime() - invitation.createdAt.getTime()).toBe(14 * 86_400_000);
    expect(await db.outreachContact.count({ where: { leadId: lead.id, kind: "sms_invitation", outcome: "sent" } })).toBe(1);
    expect(await db.auditEntry.count({ where: { action: "outreach_invite", subjectId: lead.id } })).toBe(1);
  });

  it("the invitation text fits 3 segments in both languages with a long public address", () => {
    const url = `https://lifeline.example.gov.cn/apply/invite/${"A".repeat(43)}`;
    for (const lng of ["zh-CN", "en"] as const) expect(smsSegments(invitationText(lng, url)).segments).toBeLessThanOrEqual(3);
  });

  it("cannot invite a household whose head has no mobile (409), nor without a language (400)", async () => {
    expect((await act("C", { intent: "invite" })).status).toBe(400);
    const answer = await act("C", { intent: "invite", language: "en" });
    expect(answer.status).toBe(409);
    expect(answer.data!.message).toMatch(/no mobile number/);
    expect((await leadOf("C")).status).toBe("new");
  });

  it("dismisses with a reason (required; 'another reason' needs a note), then takes no more actions", async () => {
    expect((await act("E", { intent: "dismiss" })).data!.errors).toEqual({ reason: "Choose why you are closing this household" });
    expect((await act("E", { intent: "dismiss", reason: "other" })).data!.errors).toEqual({ "dismiss-note": "Write the reason in the note" });
    const ok = await act("E", { intent: "dismiss", reason: "other", note: "family moved in with relatives" });
    expect(ok.status).toBe(303);
    const lead = await leadOf("E");
    expect(lead).toMatchObject({ status: "dismissed", dismissReason: "other: family moved in with relatives" });
    const again = await act("E", { intent: "contact", kind: "call", outcome: "reached" });
    expect(again.status).toBe(409);
    expect(again.data!.message).toMatch(/closed/);
  });

  it("an unknown intent is 400; the actions need outreach.work and the CSRF token", async () => {
    expect((await act("BAD", { intent: "explode" })).status).toBe(400);
    const lead = await leadOf("BAD");
    const noToken = await callRoute(leadAction, staffPost(`/staff/outreach/${lead.id}`, worker, { csrf: null, intent: "dismiss", reason: "duplicate", version: lead.updatedAt.toISOString() }), { params: { id: lead.id } });
    expect(noToken.status).toBe(403);
    const admin = await signInAs("admin");
    expect((await act("BAD", { intent: "dismiss", reason: "duplicate" }, admin)).status).toBe(403);
    expect((await leadOf("BAD")).status).toBe("new");
  });
});

describe("conversion figures", () => {
  it("count leads, contacted, invited, applied and approved", async () => {
    const answer = await callRoute(listLoader, staffGet(`/staff/outreach?dataDate=${DATA_DATE}`, worker));
    const funnel = Object.fromEntries((answer.data!.funnel as Array<{ step: string; count: number }>).map((f) => [f.step, f.count]));
    // D contacted, MED invited (its text is a contact too), nobody applied yet.
    expect(funnel).toEqual({ leads: 5, contacted: 2, invited: 1, applied: 0, approved: 0 });
  });
});
