// Every partner route × {anonymous, partner of organisation A, partner of B,
// partner of no organisation, caseworker, supervisor, admin} × {GET, each
// POST}: a referral of A is seen and answered only by A's partners. B's
// partner gets 404 (not 403: the id tells nothing) and nothing is changed or
// audited; staff roles get 403; anyone signed out goes to the login page.
// Also: every /staff page answers a partner 403 (the staff layout), and the
// login sends a partner to /partner.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/services/db.server";
import { everyRowText } from "../../support/db-schema";
import { callRoute, signInAs, staffGet, staffPost, type TestStaffSession } from "../../support/staff";
import { makeOrganisation, makeReferral, RESIDENT, signInPartner } from "./fixtures";

type Handler = Parameters<typeof callRoute>[0];
type Who = "anonymous" | "partnerA" | "partnerB" | "partnerNone" | "caseworker" | "supervisor" | "admin";
const routesDir = path.resolve("app/routes");

async function routeModule(file: string): Promise<{ loader?: Handler; action?: Handler }> {
  return (await import(/* @vite-ignore */ path.join(routesDir, file))) as { loader?: Handler; action?: Handler };
}

const sessions = {} as Record<Exclude<Who, "anonymous">, TestStaffSession>;
let A: { organisationId: string; serviceId: string };
let referralOfA: string;

beforeAll(async () => {
  A = await makeOrganisation("Org A");
  const B = await makeOrganisation("Org B");
  referralOfA = (await makeReferral(A)).referralId;
  sessions.partnerA = await signInPartner("matrix-partner-a", A.organisationId);
  sessions.partnerB = await signInPartner("matrix-partner-b", B.organisationId);
  sessions.partnerNone = await signInPartner("matrix-partner-none", null);
  for (const role of ["caseworker", "supervisor", "admin"] as const) sessions[role] = await signInAs(role);
});

function sessionOf(who: Who): TestStaffSession | null {
  return who === "anonymous" ? null : sessions[who];
}

describe("the partner route files are all covered here", () => {
  it("lists partner.tsx, partner._index.tsx and partner.referrals.$id.tsx", () => {
    const files = fs.readdirSync(routesDir).filter((f) => /^partner([._].*)?\.tsx?$/.test(f)).sort();
    expect(files).toEqual(["partner._index.tsx", "partner.referrals.$id.tsx", "partner.tsx"]);
  });
});

describe("GET", () => {
  const expected: Record<Who, number> = { anonymous: 303, partnerA: 200, partnerB: 200, partnerNone: 403, caseworker: 403, supervisor: 403, admin: 403 };
  it.each(Object.keys(expected) as Who[])("the layout and the list as %s", async (who) => {
    for (const file of ["partner.tsx", "partner._index.tsx"]) {
      const { loader } = await routeModule(file);
      const answer = await callRoute(loader!, staffGet("/partner", sessionOf(who)));
      expect(answer.status, `${file} as ${who}`).toBe(expected[who]);
      if (who === "anonymous") expect(answer.location).toBe("/staff/login?next=%2Fpartner");
    }
  });

  it("the list shows A's referral to A only, without name or phone", async () => {
    const { loader } = await routeModule("partner._index.tsx");
    const a = await callRoute(loader!, staffGet("/partner", sessions.partnerA));
    const b = await callRoute(loader!, staffGet("/partner", sessions.partnerB));
    expect(JSON.stringify(a.data)).toContain(referralOfA);
    expect(JSON.stringify(a.data)).not.toContain(RESIDENT.name);
    expect(JSON.stringify(b.data)).not.toContain(referralOfA);
  });

  const detail: Record<Who, number> = { anonymous: 303, partnerA: 200, partnerB: 404, partnerNone: 403, caseworker: 403, supervisor: 403, admin: 403 };
  it.each(Object.keys(detail) as Who[])("a referral of A as %s", async (who) => {
    const { loader } = await routeModule("partner.referrals.$id.tsx");
    const before = await db.auditEntry.count({ where: { subjectId: referralOfA } });
    const answer = await callRoute(loader!, staffGet(`/partner/referrals/${referralOfA}`, sessionOf(who)), { params: { id: referralOfA } });
    expect(answer.status).toBe(detail[who]);
    const after = await db.auditEntry.count({ where: { subjectId: referralOfA } });
    // only A's look is a disclosure, and it is audited
    expect(after - before).toBe(who === "partnerA" ? 1 : 0);
    if (who === "partnerA") {
      const shown = JSON.stringify(answer.data);
      expect(shown).toContain(RESIDENT.name);
      expect(shown).toContain("139****5678");
      expect(shown).not.toContain(RESIDENT.phone);
    }
  });
});

describe("POST", () => {
  const forms: Record<string, Record<string, string>> = {
    accept: { intent: "accept" },
    decline: { intent: "decline", reason: "no_capacity" },
    deliver: { intent: "deliver", deliveryNote: "Done" },
    unknown: { intent: "nothing" },
  };
  const notA: Array<[Who, number]> = [
    ["anonymous", 303],
    ["partnerB", 404],
    ["partnerNone", 403],
    ["caseworker", 403],
    ["supervisor", 403],
    ["admin", 403],
  ];
  it.each(notA)("no answer to A's referral as %s changes anything", async (who, status) => {
    const { action } = await routeModule("partner.referrals.$id.tsx");
    const before = await everyRowText(db, ["StaffSession"]);
    for (const [name, fields] of Object.entries(forms)) {
      const answer = await callRoute(action!, staffPost(`/partner/referrals/${referralOfA}`, sessionOf(who), fields), { params: { id: referralOfA } });
      expect(answer.status, `${name} as ${who}`).toBe(status);
    }
    expect(await everyRowText(db, ["StaffSession"])).toBe(before);
  });

  it("A's partner: without or with a wrong CSRF token 403, nothing changes", async () => {
    const { action } = await routeModule("partner.referrals.$id.tsx");
    const before = await everyRowText(db, ["StaffSession"]);
    for (const csrf of [null, "wrong", sessions.partnerB.csrf]) {
      const answer = await callRoute(action!, staffPost(`/partner/referrals/${referralOfA}`, sessions.partnerA, { intent: "accept", csrf }), { params: { id: referralOfA } });
      expect(answer.status).toBe(403);
    }
    expect(await everyRowText(db, ["StaffSession"])).toBe(before);
  });

  it("A's partner: bad forms get 400 with the field's message; then accept, deliver", async () => {
    const { action } = await routeModule("partner.referrals.$id.tsx");
    const post = (fields: Record<string, string>) => callRoute(action!, staffPost(`/partner/referrals/${referralOfA}`, sessions.partnerA, fields), { params: { id: referralOfA } });
    const noReason = await post({ intent: "decline" });
    expect(noReason.status).toBe(400);
    expect(Object.keys((noReason.data as { errors: object }).errors)).toEqual(["reason"]);
    const otherWithoutNote = await post({ intent: "decline", reason: "other", note: "  " });
    expect(otherWithoutNote.status).toBe(400);
    expect(Object.keys((otherWithoutNote.data as { errors: object }).errors)).toEqual(["note"]);
    expect((await post({ intent: "nothing" })).status).toBe(400);
    expect((await db.referral.findUniqueOrThrow({ where: { id: referralOfA } })).status).toBe("sent");

    const accepted = await post({ intent: "accept" });
    expect(accepted.status).toBe(303);
    expect(accepted.location).toBe(`/partner/referrals/${referralOfA}?done=accepted`);
    // accepted twice (a stale page): 409, nothing more recorded
    expect((await post({ intent: "accept" })).status).toBe(409);
    const noNote = await post({ intent: "deliver", deliveryNote: "" });
    expect(noNote.status).toBe(400);
    expect(Object.keys((noNote.data as { errors: object }).errors)).toEqual(["deliveryNote"]);
    expect((await post({ intent: "deliver", deliveryNote: "Weekly visits arranged" })).status).toBe(303);
    const row = await db.referral.findUniqueOrThrow({ where: { id: referralOfA } });
    expect(row).toMatchObject({ status: "delivered", deliveryNote: "Weekly visits arranged" });
    const { loader } = await routeModule("partner.referrals.$id.tsx");
    const view = await callRoute(loader!, staffGet(`/partner/referrals/${referralOfA}`, sessions.partnerA), { params: { id: referralOfA } });
    expect(JSON.stringify(view.data)).toContain(RESIDENT.phone);
  });

  it("a decline by A's partner through the page opens the caseworker's task", async () => {
    const r = await makeReferral(A);
    const { action } = await routeModule("partner.referrals.$id.tsx");
    const answer = await callRoute(action!, staffPost(`/partner/referrals/${r.referralId}`, sessions.partnerA, { intent: "decline", reason: "other", note: "Closed in August" }), {
      params: { id: r.referralId },
    });
    expect(answer.status).toBe(303);
    expect(await db.caseTask.count({ where: { applicationId: r.applicationId, kind: "referral_declined", doneAt: null } })).toBe(1);
  });
});

describe("partners and the staff console", () => {
  it("the staff layout answers a partner 403", async () => {
    const { loader } = await routeModule("staff.tsx");
    expect((await callRoute(loader!, staffGet("/staff", sessions.partnerA))).status).toBe(403);
  });

  it("stay signed in brings a partner back to the partner page, never a staff page", async () => {
    const { action } = await routeModule("staff.session.tsx");
    const back = await callRoute(action!, staffPost("/staff/session", sessions.partnerA, { next: `/partner/referrals/${referralOfA}` }));
    expect(back).toMatchObject({ status: 303, location: `/partner/referrals/${referralOfA}` });
    const staffPage = await callRoute(action!, staffPost("/staff/session", sessions.partnerA, { next: "/staff/cases" }));
    expect(staffPage.location).toBe("/partner");
  });

  it("the login page sends a signed-in partner to /partner", async () => {
    const { loader } = await routeModule("staff_.login.tsx");
    const answer = await callRoute(loader!, staffGet("/staff/login?next=%2Fstaff%2Fcases", sessions.partnerA));
    expect(answer.status).toBe(303);
    expect(answer.location).toBe("/partner");
  });
});
