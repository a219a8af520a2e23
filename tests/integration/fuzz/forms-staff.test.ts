// Fuzzes every staff console action, both the gate and what is behind it:
// each run is sent anonymously, with a garbage session cookie, signed in with
// a wrong CSRF token, signed in as a role without the permission, or signed
// in as a role that may act (the right CSRF token first in the body, the
// fuzzed fields after it, a fuzzed "csrf" among them at times). Route params
// are the fixture's (a case, a call-back, a lead, an objection, an account) or
// hostile. Property as in forms-public.test.ts; afterwards the database
// answers and a known-good staff action still works.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CASE_REJECTION_REASONS,
  CLOSE_REASONS,
  DOCUMENT_REJECTION_REASONS,
} from "~/domain/case/reasons";
import { ATTEMPT_OUTCOMES } from "~/domain/callback/queue";
import {
  CONTACT_KINDS,
  CONTACT_OUTCOMES,
  DISMISS_REASONS,
} from "~/domain/leads";
import type { StaffRole } from "~/domain/staff/permissions";
import { submitApplication } from "~/models/application.server";
import { queueCallback } from "~/models/callback.server";
import { loader as healthz } from "~/routes/healthz";
import * as adminStaffId from "~/routes/staff.admin.staff.$id";
import * as adminStaffIndex from "~/routes/staff.admin.staff._index";
import * as adminTokens from "~/routes/staff.admin.tokens";
import * as organisationOne from "~/routes/staff.admin.organisations.$id";
import * as organisationsIndex from "~/routes/staff.admin.organisations._index";
import * as caseTask from "~/routes/staff.cases.$reference_.tasks.$id";
import * as casePlan from "~/routes/staff.cases.$reference_.plan";
import * as partnerReferral from "~/routes/partner.referrals.$id";
import * as callbackContinue from "~/routes/staff.callbacks.$reference.continue";
import * as callbackOne from "~/routes/staff.callbacks.$reference";
import * as callbacksIndex from "~/routes/staff.callbacks._index";
import * as caseOne from "~/routes/staff.cases.$reference";
import * as logout from "~/routes/staff.logout";
import * as objectionOne from "~/routes/staff.objections.$id";
import * as outreachLead from "~/routes/staff.outreach.$id";
import * as outreachUpload from "~/routes/staff.outreach.upload";
import * as residentsErase from "~/routes/staff.residents.erase";
import * as residentsExport from "~/routes/staff.residents.export";
import * as residentsIndex from "~/routes/staff.residents._index";
import * as session from "~/routes/staff.session";
import * as login from "~/routes/staff_.login";
import { db } from "~/services/db.server";
import { APPLICANT_ID, POOR_HOUSEHOLD } from "../applications/helpers";
import { signInAs } from "../../support/staff";
import {
  checkAnswer,
  formTarget,
  fuzzFormTarget,
  runHandler,
  type FormTarget,
  type Handler,
  type Sender,
} from "../../support/fuzz-routes";
import { hostileString, wellFormed } from "../../support/fuzz-inputs";

interface Fixtures {
  organisationId: string;
  caseReference: string;
  callbackReference: string;
  subjectStaffId: string;
  leadId: string;
  objectionId: string;
}
let f: Fixtures;

beforeAll(async () => {
  const submitted = await submitApplication(db, {
    applicant: {
      name: "王秀英",
      idNumber: APPLICANT_ID,
      phone: "13800138000",
      language: "zh-CN",
    },
    onBehalfOf: null,
    household: POOR_HOUSEHOLD,
    programs: ["dibao"],
    channel: "web",
    actor: "resident",
  });
  if (!submitted.ok) throw new Error("fixture case");
  const callback = await queueCallback(db, {
    phone: "13800138001",
    language: "zh-CN",
    source: "web_request",
  });
  if (!callback.ok) throw new Error("fixture call-back");
  const subject = await db.staffUser.create({
    data: {
      username: "fuzz-subject",
      displayName: "Subject",
      role: "caseworker",
      passwordHash: "!",
    },
  });
  const lead = await db.outreachLead.create({
    data: {
      householdId: "FUZZ",
      dataDate: "2026-06-01",
      flags: '["likely_dibao"]',
      flagCount: 1,
      perCapitaIncomeFen: 10000,
      members: 1,
      reasons: "[]",
      household: '{"members":[]}',
      people: "[]",
    },
  });
  const objection = await db.noticeObjection.create({
    data: { applicationId: submitted.id, reason: "fuzz objection" },
  });
  const organisation = await db.socialOrganisation.create({
    data: { name: "Fuzz care", district: "D01", contactName: "Li", contactPhone: "13800138009", capacity: 5 },
  });
  // The partner sender (staff("partner") signs in as fuzz-partner) works for this organisation.
  await db.staffUser.create({
    data: { username: "fuzz-partner", displayName: "Fuzz partner", role: "partner", passwordHash: "!", organisationId: organisation.id },
  });
  f = {
    organisationId: organisation.id,
    caseReference: submitted.reference,
    callbackReference: callback.reference,
    subjectStaffId: subject.id,
    leadId: lead.id,
    objectionId: objection.id,
  };
}, 30_000);

const sessions = new Map<string, Promise<Sender>>();
/** A signed-in staff member of this role (one account and session per name). */
function staff(
  role: StaffRole,
  {
    csrf = "right",
    name = role,
  }: { csrf?: "right" | "wrong"; name?: string } = {}
): () => Promise<Sender> {
  return () => {
    const key = `${name}/${csrf}`;
    if (!sessions.has(key))
      sessions.set(
        key,
        signInAs(role, { username: `fuzz-${name}` }).then((s) => ({
          cookie: s.cookie,
          csrf: csrf === "right" ? s.csrf : "0".repeat(43),
        }))
      );
    return sessions.get(key)!;
  };
}

type SenderRow = FormTarget["senders"][number];
const ANONYMOUS: SenderRow = ["anonymous", () => ({})];
const GARBAGE: SenderRow = [
  "a garbage session cookie",
  () => ({ cookie: "__staff=%%%; __staff=abc.def; x=\u00ff", csrf: "x" }),
];

/** The gate's senders plus the allowed role with the right token, and a role that may not. */
function senders(
  allowed: StaffRole,
  notAllowed: StaffRole | null
): SenderRow[] {
  const rows: SenderRow[] = [
    ANONYMOUS,
    GARBAGE,
    [`${allowed} with a wrong CSRF token`, staff(allowed, { csrf: "wrong" })],
    [`${allowed}`, staff(allowed)],
    [`${allowed}`, staff(allowed)],
  ];
  if (notAllowed) rows.push([`${notAllowed} (not allowed)`, staff(notAllowed)]);
  return rows;
}

/** A fixture value most of the time, else something hostile. */
function param(
  name: string,
  fixture: () => string
): fc.Arbitrary<Record<string, string>> {
  return fc
    .oneof(
      { arbitrary: fc.constant(null), weight: 4 },
      {
        arbitrary: hostileString([
          "CB-0000-0000",
          "LA-0000-0000",
          "cb-",
          "00000000-0000-4000-8000-000000000000",
        ]),
        weight: 1,
      }
    )
    .map((given) => ({
      [name]: given === null ? fixture() : wellFormed(given),
    }));
}

const RUNS = 30;
const RESIDENT_FIELDS = ["idNumber", "phone", "reference", "reason"];
const RESIDENT_VALUES = [
  APPLICANT_ID,
  "13800138000",
  "138 0013 8000",
  "LA-0000-0000",
  "The resident asked for a copy of their data",
];

const TARGETS: FormTarget[] = [
  formTarget("staff_.login.tsx", {
    handler: login.action as Handler,
    url: () => "/staff/login",
    fields: ["username", "password", "next"],
    values: [
      "fuzz-admin",
      "test-admin",
      "correct horse battery",
      "/staff",
      "//evil.example",
      "https://evil.example/",
      "/staff/../x",
    ],
    senders: [
      ANONYMOUS,
      ["another client", () => ({ context: { clientIp: "198.51.100.77" } })],
    ],
    // Each run checks a password (argon2): fewer runs.
    allowed: [400, 429],
    numRuns: 10,
  }),
  formTarget("staff.session.tsx", {
    handler: session.action as Handler,
    url: () => "/staff/session",
    fields: ["next", "js"],
    values: [
      "1",
      "/staff",
      "//evil.example",
      "javascript:alert(1)",
      "/staff/cases?x=1",
    ],
    senders: senders("caseworker", null),
    allowed: [400, 403],
    numRuns: RUNS,
  }),
  formTarget("staff.logout.tsx", {
    handler: logout.action as Handler,
    url: () => "/staff/logout",
    fields: ["next"],
    values: [],
    // Signing out ends the session: a new one for each run.
    senders: [
      ANONYMOUS,
      GARBAGE,
      [
        "a caseworker",
        () =>
          signInAs("caseworker", { username: "fuzz-leaving" }).then((s) => ({
            cookie: s.cookie,
            csrf: s.csrf,
          })),
        { perRun: true },
      ],
    ],
    allowed: [400, 403],
    numRuns: RUNS / 2,
  }),
  formTarget("staff.admin.staff._index.tsx", {
    handler: adminStaffIndex.action as Handler,
    url: () => "/staff/admin/staff",
    fields: ["username", "displayName", "role", "password"],
    values: ["caseworker", "supervisor", "admin", "new-user", "New User"],
    senders: senders("admin", "supervisor"),
    allowed: [400, 403],
    numRuns: RUNS,
  }),
  formTarget("staff.admin.staff.$id.tsx", {
    handler: adminStaffId.action as Handler,
    url: (p) => `/staff/admin/staff/${encodeURIComponent(p.id)}`,
    params: param("id", () => f.subjectStaffId),
    fields: ["intent", "role", "password"],
    values: [
      "role",
      "disable",
      "enable",
      "unlock",
      "password",
      "caseworker",
      "supervisor",
      "admin",
    ],
    senders: senders("admin", "caseworker"),
    allowed: [400, 403, 404],
    numRuns: RUNS,
  }),
  formTarget("staff.admin.organisations._index.tsx", {
    handler: organisationsIndex.action as Handler,
    url: () => "/staff/admin/organisations",
    fields: ["name", "district", "contactName", "contactPhone", "capacity"],
    values: ["Care centre", "D01", "D09", "Li Ming", "13800138000", "0", "5", "-1", "1e9"],
    senders: senders("admin", "caseworker"),
    allowed: [400, 403],
    numRuns: RUNS,
  }),
  formTarget("staff.admin.organisations.$id.tsx", {
    handler: organisationOne.action as Handler,
    url: (p) => `/staff/admin/organisations/${encodeURIComponent(p.id)}`,
    params: param("id", () => f.organisationId),
    fields: ["intent", "name", "district", "contactName", "contactPhone", "capacity", "serviceId", "needs", "done"],
    values: ["save", "activate", "deactivate", "add_service", "service", "disability_care", "tutoring", "D01", "3"],
    senders: senders("admin", "supervisor"),
    allowed: [400, 403, 404, 409],
    numRuns: RUNS,
  }),
  formTarget("staff.cases.$reference_.plan.tsx", {
    handler: casePlan.action as Handler,
    url: (p) => `/staff/cases/${encodeURIComponent(p.reference)}/plan`,
    params: param("reference", () => f.caseReference),
    fields: ["intent", "itemId", "serviceId", "program", "need", "note", "confirm", "how"],
    values: ["propose", "remove", "service", "add_programme", "add_service", "agree", "dibao", "tutoring", "yes", "phone"],
    senders: senders("caseworker", "admin"),
    allowed: [400, 403, 404, 409],
    numRuns: RUNS,
  }),
  formTarget("staff.cases.$reference_.tasks.$id.tsx", {
    handler: caseTask.action as Handler,
    url: (p) => `/staff/cases/${encodeURIComponent(p.reference)}/tasks/${encodeURIComponent(p.id)}`,
    params: fc.record({ reference: fc.constant("").map(() => f.caseReference), id: fc.oneof(fc.constant("no-such-task"), hostileString(["cm0000"]).map(wellFormed)) }),
    fields: ["intent", "serviceId"],
    values: ["resend", "close"],
    senders: senders("caseworker", "admin"),
    allowed: [400, 403, 404, 409],
    numRuns: RUNS,
  }),
  formTarget("partner.referrals.$id.tsx", {
    handler: partnerReferral.action as Handler,
    url: (p) => `/partner/referrals/${encodeURIComponent(p.id)}`,
    params: param("id", () => "no-such-referral"),
    fields: ["intent", "reason", "note", "deliveryNote"],
    values: ["accept", "decline", "deliver", "no_capacity", "other"],
    senders: senders("partner", "caseworker"),
    allowed: [400, 403, 404, 409],
    numRuns: RUNS,
  }),
  formTarget("staff.admin.tokens.tsx", {
    handler: adminTokens.action as Handler,
    url: () => "/staff/admin/tokens",
    fields: ["intent", "id", "name", "scope"],
    values: ["revoke", "create", "partner", "staff", "Community centre"],
    senders: senders("admin", "caseworker"),
    allowed: [400, 403],
    numRuns: RUNS,
  }),
  formTarget("staff.callbacks._index.tsx", {
    handler: callbacksIndex.action as Handler,
    url: () => "/staff/callbacks",
    fields: ["intent"],
    values: ["next"],
    senders: senders("caseworker", "admin"),
    allowed: [400, 403],
    numRuns: RUNS,
  }),
  formTarget("staff.callbacks.$reference.tsx", {
    handler: callbackOne.action as Handler,
    url: (p) => `/staff/callbacks/${encodeURIComponent(p.reference)}`,
    params: param("reference", () => f.callbackReference),
    fields: ["intent", "outcome", "note", "laterDate", "laterTime"],
    values: [
      "claim",
      "release",
      "done",
      "attempt",
      ...ATTEMPT_OUTCOMES,
      "2026-12-01",
      "09:30",
      "25:00",
    ],
    senders: senders("caseworker", "admin"),
    allowed: [400, 403, 404],
    numRuns: RUNS * 2,
  }),
  formTarget("staff.callbacks.$reference.continue.tsx", {
    handler: callbackContinue.action as Handler,
    url: (p) => `/staff/callbacks/${encodeURIComponent(p.reference)}/continue`,
    params: param("reference", () => f.callbackReference),
    fields: ["intent"],
    values: [],
    senders: senders("caseworker", "admin"),
    allowed: [400, 403, 404],
    numRuns: RUNS,
  }),
  formTarget("staff.cases.$reference.tsx", {
    handler: caseOne.action as Handler,
    url: (p) => `/staff/cases/${encodeURIComponent(p.reference)}`,
    params: param("reference", () => f.caseReference),
    fields: [
      "intent",
      "types",
      "request-note",
      "evidenceId",
      "reason",
      "note",
      "reasons",
      "reject-note",
      "closeReason",
      "close-note",
    ],
    values: [
      "screening",
      "manual_review",
      "request_information",
      "accept_evidence",
      "reject_evidence",
      "approve",
      "reject",
      "close",
      "id_card",
      "income_proof",
      ...CASE_REJECTION_REASONS,
      ...DOCUMENT_REJECTION_REASONS,
      ...CLOSE_REASONS,
    ],
    senders: senders("caseworker", "admin"),
    allowed: [400, 403, 404, 409],
    numRuns: RUNS * 2,
  }),
  formTarget("staff.objections.$id.tsx", {
    handler: objectionOne.action as Handler,
    url: (p) => `/staff/objections/${encodeURIComponent(p.id)}`,
    params: param("id", () => f.objectionId),
    fields: ["decision", "note"],
    values: ["uphold", "dismiss", "有车"],
    senders: senders("supervisor", "caseworker"),
    allowed: [400, 403, 404, 409],
    numRuns: RUNS,
  }),
  formTarget("staff.outreach.$id.tsx", {
    handler: outreachLead.action as Handler,
    url: (p) => `/staff/outreach/${encodeURIComponent(p.id)}`,
    params: param("id", () => f.leadId),
    fields: [
      "intent",
      "version",
      "kind",
      "outcome",
      "contact-note",
      "language",
      "reason",
      "dismiss-note",
    ],
    values: [
      "contact",
      "invite",
      "dismiss",
      "1",
      "0",
      ...CONTACT_KINDS,
      ...CONTACT_OUTCOMES,
      ...DISMISS_REASONS,
      "zh-CN",
      "en",
    ],
    senders: senders("caseworker", "admin"),
    allowed: [400, 403, 404, 409],
    numRuns: RUNS * 2,
  }),
  formTarget("staff.outreach.upload.tsx", {
    handler: outreachUpload.action as Handler,
    url: () => "/staff/outreach/upload",
    fields: ["file", "dataDate"],
    values: ["2026-06-01", "2026-02-30", "household_id,members\n1,1\n"],
    files: true,
    senders: senders("caseworker", "admin"),
    allowed: [400, 403, 413, 415],
    numRuns: RUNS,
  }),
  // Residents' data (supervisors): last, since an erase may remove the fixture case the others use.
  formTarget("staff.residents._index.tsx", {
    handler: residentsIndex.action as Handler,
    url: () => "/staff/residents",
    fields: RESIDENT_FIELDS,
    values: RESIDENT_VALUES,
    senders: senders("supervisor", "caseworker"),
    allowed: [400, 403, 404, 429],
    numRuns: RUNS,
  }),
  formTarget("staff.residents.export.tsx", {
    handler: residentsExport.action as Handler,
    url: () => "/staff/residents/export",
    fields: RESIDENT_FIELDS,
    values: RESIDENT_VALUES,
    senders: senders("supervisor", "caseworker"),
    allowed: [400, 403, 404, 429],
    numRuns: RUNS,
  }),
  formTarget("staff.residents.erase.tsx", {
    handler: residentsErase.action as Handler,
    url: () => "/staff/residents/erase",
    fields: [...RESIDENT_FIELDS, "intent", "confirm"],
    values: [...RESIDENT_VALUES, "erase", "ERASE", "删除"],
    senders: senders("supervisor", "caseworker"),
    allowed: [400, 403, 404, 409, 429],
    numRuns: RUNS,
  }),
];

describe("staff console actions never answer 5xx, signed in or not", () => {
  it.each(TARGETS.map((t) => [t.file, t] as const))(
    "%s",
    async (_file, target) => {
      const seen = await fuzzFormTarget(target);
      // The fuzz got past the gate: some run of a signed-in sender was neither refused (403) nor sent to sign in.
      if (target.file !== "staff_.login.tsx") {
        const inside = [...seen]
          .filter(
            ([who]) => !/anonymous|garbage|wrong CSRF|not allowed/.test(who)
          )
          .flatMap(([, answers]) => answers);
        expect(
          inside.filter(
            (a) => !a.startsWith("403") && !a.includes("/staff/login?next=")
          ),
          `${target.file}: ${JSON.stringify([...seen])}`
        ).not.toEqual([]);
      }
    },
    120_000
  );
});

afterAll(async () => {
  const health = await runHandler(
    healthz as Handler,
    new Request("http://localhost/healthz")
  );
  expect(health.status).toBe(200);
  // A known-good action still works: a caseworker claims the fixture call-back (or finds it theirs or taken).
  const worker = await staff("caseworker", { name: "after-fuzz" })();
  const body = new URLSearchParams({ csrf: worker.csrf!, intent: "claim" });
  const answer = await runHandler(
    callbackOne.action as Handler,
    new Request(`http://localhost/staff/callbacks/${f.callbackReference}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Cookie: worker.cookie!,
      },
      body,
    }),
    { params: { reference: f.callbackReference } }
  );
  checkAnswer(answer, [], "a good claim after the fuzz");
  expect(answer.location).toMatch(
    new RegExp(
      `^/staff/callbacks/${f.callbackReference}\\?notice=(claimed|takenBySomeone)$`
    )
  );
});
