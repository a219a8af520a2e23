// Every staff route file × {anonymous, caseworker, supervisor, admin, partner} ×
// {loader GET, action POST}: anonymous goes to the login page, a role without
// the permission gets 403 (a partner gets 403 everywhere unless a row says
// otherwise), an allowed role gets an answer (anything but 403,
// the login redirect or a 5xx). Every action also refuses a POST without or
// with a wrong CSRF token (403) and changes nothing.
//
// The file list comes from app/routes with fs: a staff route file without
// rows here FAILS this test. Add your rows at "ADD YOUR ROWS HERE" (and
// fixtures at "ADD YOUR FIXTURES HERE"); re-read the file just before editing,
// others edit it too.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { queueCallback } from "~/models/callback.server";
import { submitApplication } from "~/models/application.server";
import { createApiToken } from "~/models/api-token.server";
import { db } from "~/services/db.server";
import { APPLICANT_ID, POOR_HOUSEHOLD } from "../applications/helpers";
import { everyRowText } from "../../support/db-schema";
import { callRoute, signInAs, staffGet, staffPost, type TestStaffSession } from "../../support/staff";

type Role = "caseworker" | "supervisor" | "admin";
/** partner (issue 9): a social organisation's account; every staff page answers it 403 unless a row says otherwise. */
type Who = "anonymous" | Role | "partner";
/** "ok": allowed (any status but 403, a login redirect or 5xx); 403; "login": 303 to /staff/login?next=…; or an exact status. */
type Outcome = "ok" | "login" | 403 | 400 | 200 | 303;
type Expect = Record<Role, Outcome> & { anonymous?: Outcome; partner?: Outcome };

interface Fixtures {
  caseReference: string;
  caseId: string;
  callbackReference: string;
  callbackId: string;
  staffUserId: string;
  tokenId: string;
  /** case review: a document of the fixture case */
  evidenceId: string;
  /** outreach: a lead and an upload */
  outreachLeadId: string;
  outreachUploadId: string;
  /** public notice: an open objection to the fixture case */
  objectionId: string;
  /** issue 9: a social organisation of the catalogue */
  organisationId: string;
  // ADD YOUR FIXTURES HERE (type) ↑
}

interface Row {
  /** file name in app/routes */
  file: string;
  /** the URL asked for, with fixture values */
  url: (f: Fixtures) => string;
  params?: (f: Fixtures) => Record<string, string>;
  loader?: Expect;
  action?: {
    expect: Expect;
    /** form fields beside "csrf" */
    fields?: (f: Fixtures) => Record<string, string>;
    /** the action signs the person out (or similar): use a throwaway session */
    freshSession?: boolean;
    /** the action needs no CSRF token (the login form: no session yet) */
    noCsrf?: boolean;
  };
}

/** Expected outcomes for caseworker, supervisor, admin. */
const as = (caseworker: Outcome, supervisor: Outcome, admin: Outcome, anonymous?: Outcome): Expect => ({ caseworker, supervisor, admin, anonymous });
const ALL = as("ok", "ok", "ok");

const ROWS: Row[] = [
  // ---- staff-core ----
  { file: "staff.tsx", url: () => "/staff/anything", loader: ALL },
  // a signed-in partner is sent on to /partner; the session and sign-out work for partners too (the partner pages use them)
  { file: "staff_.login.tsx", url: () => "/staff/login", loader: { ...as("ok", "ok", "ok", 200), partner: 303 }, action: { expect: { ...as(400, 400, 400, 400), partner: 400 }, noCsrf: true } },
  { file: "staff.session.tsx", url: () => "/staff/session", loader: { ...ALL, partner: "ok" }, action: { expect: { ...ALL, partner: "ok" }, fields: () => ({ next: "/staff" }) } },
  { file: "staff.logout.tsx", url: () => "/staff/logout", loader: { ...ALL, partner: "ok" }, action: { expect: { ...ALL, partner: "ok" }, freshSession: true } },
  // STAFF-CORE ADMIN/AUDIT ROWS
  { file: "staff.admin.staff._index.tsx", url: () => "/staff/admin/staff", loader: as(403, 403, "ok"), action: { expect: as(403, 403, 400) } },
  {
    file: "staff.admin.staff.$id.tsx",
    url: (f) => `/staff/admin/staff/${f.staffUserId}`,
    params: (f) => ({ id: f.staffUserId }),
    loader: as(403, 403, "ok"),
    action: { expect: as(403, 403, 303), fields: () => ({ intent: "unlock" }) },
  },
  { file: "staff.admin.tokens.tsx", url: () => "/staff/admin/tokens", loader: as(403, 403, "ok"), action: { expect: as(403, 403, 400) } },
  { file: "staff.audit._index.tsx", url: () => "/staff/audit", loader: as(403, "ok", "ok") },
  { file: "staff.audit.export.tsx", url: () => "/staff/audit/export?format=csv", loader: as(403, 200, 200) },
  // ADD YOUR ROWS HERE ↓ (one block per route file; see the staff-core rows above)
  // ---- issue 9: a case's assistance plan (plan.work: caseworkers and supervisors) ----
  {
    file: "staff.cases.$reference_.plan.tsx",
    url: (f) => `/staff/cases/${f.caseReference}/plan`,
    params: (f) => ({ reference: f.caseReference }),
    // the fixture case is not approved: the page says a plan comes later
    loader: as(200, 200, 403),
    // an intent no form sends: 400, nothing changes
    action: { expect: as(400, 400, 403), fields: () => ({ intent: "no-such-action" }) },
  },
  // ---- issue 9: the catalogue of social organisations (services.manage: admins) ----
  // an empty form: 400 with a message per field, nothing made
  { file: "staff.admin.organisations._index.tsx", url: () => "/staff/admin/organisations", loader: as(403, 403, 200), action: { expect: as(403, 403, 400) } },
  {
    file: "staff.admin.organisations.$id.tsx",
    url: (f) => `/staff/admin/organisations/${f.organisationId}`,
    params: (f) => ({ id: f.organisationId }),
    loader: as(403, 403, 200),
    // an intent no form sends: 400, nothing changes
    action: { expect: as(403, 403, 400), fields: () => ({ intent: "no-such-action" }) },
  },
  // ---- caseworker tasks of a case (issue 9: a declined referral; plan.work: caseworkers and supervisors) ----
  {
    file: "staff.cases.$reference_.tasks.$id.tsx",
    url: (f) => `/staff/cases/${f.caseReference}/tasks/no-such-task`,
    params: (f) => ({ reference: f.caseReference, id: "no-such-task" }),
    // a GET leads back to the case page
    loader: as(303, 303, 403),
    // an intent no form sends: 400, nothing changes
    action: { expect: as(400, 400, 403), fields: () => ({ intent: "no-such-action" }) },
  },
  // ---- residents' data: export and erasure (supervisors only; admins do not read residents' records) ----
  {
    file: "staff.residents._index.tsx",
    url: () => "/staff/residents",
    loader: as(403, 200, 403),
    // a search with nothing filled in: 400 for a supervisor, nothing looked up or audited
    action: { expect: as(403, 400, 403) },
  },
  // no person named: 400 for a supervisor, no archive
  { file: "staff.residents.export.tsx", url: () => "/staff/residents/export", action: { expect: as(403, 400, 403) } },
  {
    file: "staff.residents.erase.tsx",
    url: () => "/staff/residents/erase",
    loader: as(403, 200, 403),
    // no person named: 400 for a supervisor, nothing erased
    action: { expect: as(403, 400, 403), fields: () => ({ intent: "erase", reason: "matrix", confirm: "ERASE" }) },
  },
  // ---- objections to the public notice (supervisors only) ----
  { file: "staff.objections._index.tsx", url: () => "/staff/objections", loader: as(403, 200, 403) },
  {
    file: "staff.objections.$id.tsx",
    url: (f) => `/staff/objections/${f.objectionId}`,
    params: (f) => ({ id: f.objectionId }),
    loader: as(403, 200, 403),
    // no decision chosen: 400 for a supervisor, nothing decided
    action: { expect: as(403, 400, 403) },
  },
  // ---- outreach (caseworkers and supervisors; admins do not read residents' records) ----
  { file: "staff.outreach._index.tsx", url: () => "/staff/outreach", loader: as(200, 200, 403) },
  {
    file: "staff.outreach.$id.tsx",
    url: (f) => `/staff/outreach/${f.outreachLeadId}`,
    params: (f) => ({ id: f.outreachLeadId }),
    loader: as(200, 200, 403),
    // an intent no form sends: allowed roles get 400 and nothing changes
    action: { expect: as(400, 400, 403), fields: () => ({ intent: "no-such-action" }) },
  },
  {
    file: "staff.outreach.upload.tsx",
    url: () => "/staff/outreach/upload",
    loader: as(200, 200, 403),
    // a form post without a file (not multipart): allowed roles get 400, nothing stored
    action: { expect: as(400, 400, 403) },
  },
  {
    file: "staff.outreach.uploads.$id.tsx",
    url: (f) => `/staff/outreach/uploads/${f.outreachUploadId}`,
    params: (f) => ({ id: f.outreachUploadId }),
    loader: as(200, 200, 403),
  },
  // ---- call-back queue and dashboard (admins see the dashboard's counts, not the queue) ----
  { file: "staff._index.tsx", url: () => "/staff", loader: ALL },
  // issue 9: the dashboard's referral figures as CSV (counts and averages only; every dashboard.view role)
  { file: "staff.dashboard.referrals[.]csv.ts", url: () => "/staff/dashboard/referrals.csv", loader: as(200, 200, 200) },
  {
    file: "staff.callbacks._index.tsx",
    url: () => "/staff/callbacks",
    loader: as(200, 200, 403),
    // an intent no form sends: back to the list, nothing claimed
    action: { expect: as(303, 303, 403), fields: () => ({ intent: "no-such-action" }) },
  },
  {
    file: "staff.callbacks.$reference.tsx",
    url: (f) => `/staff/callbacks/${f.callbackReference}`,
    params: (f) => ({ reference: f.callbackReference }),
    loader: as(200, 200, 403),
    action: { expect: as(400, 400, 403), fields: () => ({ intent: "no-such-action" }) },
  },
  // supervisors only (queue.supervise): put back whoever holds it (the fixture is queued: back to the page, nothing changed) …
  {
    file: "staff.callbacks.$reference.tsx",
    url: (f) => `/staff/callbacks/${f.callbackReference}`,
    params: (f) => ({ reference: f.callbackReference }),
    action: { expect: as(403, 303, 403), fields: () => ({ intent: "put_back" }) },
  },
  // … and give to a caseworker (an account that does not exist: 400, nothing given)
  {
    file: "staff.callbacks.$reference.tsx",
    url: (f) => `/staff/callbacks/${f.callbackReference}`,
    params: (f) => ({ reference: f.callbackReference }),
    action: { expect: as(403, 400, 403), fields: () => ({ intent: "assign", assignTo: "no-such-account" }) },
  },
  {
    file: "staff.callbacks.$reference.continue.tsx",
    url: (f) => `/staff/callbacks/${f.callbackReference}/continue`,
    params: (f) => ({ reference: f.callbackReference }),
    loader: as(303, 303, 403),
    // the fixture call-back is not claimed by anyone: back to its page, no draft made
    action: { expect: as(303, 303, 403) },
  },
  // ---- case review (caseworkers and supervisors; admins do not read residents' records) ----
  { file: "staff.cases._index.tsx", url: () => "/staff/cases?status=submitted", loader: as("ok", "ok", 403) },
  {
    file: "staff.cases.$reference.tsx",
    url: (f) => `/staff/cases/${f.caseReference}`,
    params: (f) => ({ reference: f.caseReference }),
    loader: as(200, 200, 403),
    // an intent no form sends: allowed roles get 400 and nothing changes
    action: { expect: as(400, 400, 403), fields: () => ({ intent: "no-such-action" }) },
  },
  {
    file: "staff.cases.$reference.evidence.$id.tsx",
    url: (f) => `/staff/cases/${f.caseReference}/evidence/${f.evidenceId}`,
    params: (f) => ({ reference: f.caseReference, id: f.evidenceId }),
    // the fixture row has no file on disk: 404 for those allowed
    loader: as("ok", "ok", 403),
  },
  {
    file: "staff.cases.$reference_.letter.tsx",
    url: (f) => `/staff/cases/${f.caseReference}/letter`,
    params: (f) => ({ reference: f.caseReference }),
    // no decision yet: no letter
    loader: as("ok", "ok", 403),
  },
];

const ROLES: Role[] = ["caseworker", "supervisor", "admin"];
const routesDir = path.resolve("app/routes");

function staffRouteFiles(): string[] {
  return fs
    .readdirSync(routesDir)
    .filter((f) => /^staff([._].*)?\.tsx?$/.test(f))
    .sort();
}

type Handler = Parameters<typeof callRoute>[0];

async function routeModule(file: string): Promise<{ loader?: Handler; action?: Handler }> {
  return (await import(/* @vite-ignore */ path.join(routesDir, file))) as { loader?: Handler; action?: Handler };
}

/** Every row of every table but the sessions (requireStaff moves their idle limit): "nothing changed" means this is equal. */
function fingerprint(): Promise<string> {
  return everyRowText(db, ["StaffSession"]);
}

function expectedFor(expected: Expect, who: Who): Outcome {
  if (who === "anonymous") return expected.anonymous ?? "login";
  if (who === "partner") return expected.partner ?? 403;
  return expected[who];
}

function check(answer: { status: number; location: string | null }, expected: Outcome, label: string): void {
  if (expected === "login") {
    expect(answer.status, label).toBe(303);
    expect(answer.location ?? "", label).toMatch(/^\/staff\/login\?next=%2Fstaff/);
  } else if (expected === "ok") {
    expect(answer.status, label).toBeLessThan(500);
    expect(answer.status, label).not.toBe(403);
    expect(answer.location ?? "", label).not.toMatch(/^\/staff\/login\?next=/);
  } else {
    expect(answer.status, label).toBe(expected);
  }
}

// Everything the server writes to its log while the table runs, to check no personal data is in it.
const logged: string[] = [];
const FIXTURE_PERSONAL = ["13800138000", "138 0013 8000", APPLICANT_ID, "王秀英"];

const sessions = {} as Record<Role | "partner", TestStaffSession>;
let fixtures: Fixtures;

beforeAll(() => {
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack ?? ""}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    });
  }
});

afterAll(async () => {
  vi.restoreAllMocks();
  // No personal data of the fixture case in the server's log or the audit log.
  const audit = JSON.stringify(await db.auditEntry.findMany());
  for (const value of FIXTURE_PERSONAL) {
    expect(logged.filter((line) => line.includes(value)), `the log must not contain ${value}`).toEqual([]);
    expect(audit.includes(value), `the audit log must not contain ${value}`).toBe(false);
  }
});

beforeAll(async () => {
  for (const role of ROLES) sessions[role] = await signInAs(role);
  sessions.partner = await signInAs("partner");
  const submitted = await submitApplication(db, {
    applicant: { name: "王秀英", idNumber: APPLICANT_ID, phone: "13800138000", language: "zh-CN" },
    onBehalfOf: null,
    household: POOR_HOUSEHOLD,
    programs: ["dibao"],
    channel: "web",
    actor: "resident",
  });
  if (!submitted.ok) throw new Error("fixture case");
  const callback = await queueCallback(db, { phone: "13800138000", language: "zh-CN", source: "web_request" });
  if (!callback.ok) throw new Error(`fixture callback: ${JSON.stringify(callback.errors)}`);
  const callbackRow = await db.callbackRequest.findUniqueOrThrow({ where: { reference: callback.reference } });
  const other = await db.staffUser.create({ data: { username: "matrix-subject", displayName: "Subject", role: "caseworker", passwordHash: "!" } });
  const token = await createApiToken(db, { name: "matrix token", scope: "partner" });
  fixtures = {
    caseReference: submitted.reference,
    caseId: submitted.id,
    callbackReference: callback.reference,
    callbackId: callbackRow.id,
    staffUserId: other.id,
    tokenId: token.id,
    evidenceId: (
      await db.evidence.create({
        data: { applicationId: submitted.id, type: "id_card", storedName: `${"0".repeat(31)}1.jpg`, format: "jpeg", size: 10, sha256: "0".repeat(64) },
      })
    ).id,
    outreachLeadId: (
      await db.outreachLead.create({
        data: { householdId: "MATRIX", dataDate: "2026-06-01", flags: '["likely_dibao"]', flagCount: 1, perCapitaIncomeFen: 10000, members: 1, reasons: "[]", household: '{"members":[]}', people: "[]" },
      })
    ).id,
    outreachUploadId: (
      await db.outreachUpload.create({ data: { id: "00000000-0000-4000-8000-0000000000aa", uploadedById: other.id, fileName: "matrix.csv", bytes: 10, dataDate: "2026-06-01", status: "done" } })
    ).id,
    objectionId: (await db.noticeObjection.create({ data: { applicationId: submitted.id, reason: "matrix objection" } })).id,
    organisationId: (await db.socialOrganisation.create({ data: { name: "Matrix org", district: "dongcheng", contactName: "M", contactPhone: "010-65550000", capacity: 5 } })).id,
    // ADD YOUR FIXTURES HERE (values) ↑
  };
});

describe("the table covers every staff route file", () => {
  const files = staffRouteFiles();
  it("finds the staff route files", () => {
    expect(files).toContain("staff.tsx");
  });
  it.each(files)("%s has rows", async (file) => {
    const rows = ROWS.filter((r) => r.file === file);
    expect(rows.length, `${file}: add its rows to ROWS in tests/integration/staff/access-matrix.test.ts`).toBeGreaterThan(0);
    const mod = await routeModule(file);
    if (mod.loader) expect(rows.some((r) => r.loader), `${file} has a loader: add a row with loader expectations`).toBe(true);
    if (mod.action) expect(rows.some((r) => r.action), `${file} has an action: add a row with action expectations`).toBe(true);
  });
  it("has no rows for files that do not exist", () => {
    for (const row of ROWS) expect(files, row.file).toContain(row.file);
  });
});

describe.each(ROWS.map((row) => [`${row.file}`, row] as const))("%s", (_name, row) => {
  if (row.loader) {
    const loaderExpect = row.loader;
    it.each(["anonymous", ...ROLES, "partner"] as Who[])("GET as %s", async (who) => {
      const { loader } = await routeModule(row.file);
      expect(loader, "the module has no loader").toBeTypeOf("function");
      const url = row.url(fixtures);
      const session = who === "anonymous" ? null : sessions[who];
      const answer = await callRoute(loader!, staffGet(url, session), { params: row.params?.(fixtures) ?? {} });
      check(answer, expectedFor(loaderExpect, who), `GET ${url} as ${who}`);
    });
  }
  if (row.action) {
    const spec = row.action;
    it.each(["anonymous", ...ROLES, "partner"] as Who[])("POST as %s", async (who) => {
      const { action } = await routeModule(row.file);
      expect(action, "the module has no action").toBeTypeOf("function");
      const url = row.url(fixtures);
      let session: TestStaffSession | null = null;
      if (who !== "anonymous") session = spec.freshSession ? await signInAs(who, { username: `matrix-fresh-${who}` }) : sessions[who];
      const answer = await callRoute(action!, staffPost(url, session, spec.fields?.(fixtures) ?? {}), { params: row.params?.(fixtures) ?? {} });
      check(answer, expectedFor(spec.expect, who), `POST ${url} as ${who}`);
    });
    if (!spec.noCsrf) {
      it("refuses a POST without or with a wrong CSRF token (403), changing nothing", async () => {
        const { action } = await routeModule(row.file);
        const allowed = ROLES.filter((r) => spec.expect[r] !== 403 && spec.expect[r] !== "login");
        for (const role of allowed) {
          const session = await signInAs(role, { username: `matrix-csrf-${role}` });
          const otherSession = await signInAs(role, { username: `matrix-csrf2-${role}` });
          const url = row.url(fixtures);
          const params = row.params?.(fixtures) ?? {};
          const before = await fingerprint();
          const missing = await callRoute(action!, staffPost(url, session, { ...(spec.fields?.(fixtures) ?? {}), csrf: null }), { params });
          expect(missing.status, `POST ${url} as ${role} without a token`).toBe(403);
          const wrong = await callRoute(action!, staffPost(url, session, { ...(spec.fields?.(fixtures) ?? {}), csrf: "not-the-token" }), { params });
          expect(wrong.status, `POST ${url} as ${role} with a wrong token`).toBe(403);
          const stolen = await callRoute(action!, staffPost(url, session, { ...(spec.fields?.(fixtures) ?? {}), csrf: otherSession.csrf }), { params });
          expect(stolen.status, `POST ${url} as ${role} with another session's token`).toBe(403);
          expect(await fingerprint(), `POST ${url} as ${role}: nothing may change`).toBe(before);
        }
      });
    }
  }
});
