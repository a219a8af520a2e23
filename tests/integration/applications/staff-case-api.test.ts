// GET /api/v1/staff/cases/:reference: staff tokens only (401 / 403 matrix, also
// for the staff call-back list), 404 for unknown or malformed references, and
// the case in the contract's shape with the ID number masked and the timeline.
import { beforeAll, describe, expect, it } from "vitest";
import { assessHousehold } from "~/domain/eligibility";
import { createApiToken, revokeApiToken } from "~/models/api-token.server";
import { addEvidenceRecord, changeStatus, submitApplication } from "~/models/application.server";
import { action, loader } from "~/routes/api.v1.staff.cases.$reference";
import { loader as callbacksLoader } from "~/routes/api.v1.staff.callbacks";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { APPLICANT_ID, bearer, callAction, callLoader, POOR_HOUSEHOLD, STAFF_TOKEN } from "./helpers";

const NOW = new Date("2026-03-02T02:00:00Z");
let partner: { id: string; token: string };
let staffDbToken: { id: string; token: string };
let revokedStaff: { id: string; token: string };
let reference = "";
let evidenceId = "";

beforeAll(async () => {
  partner = await createApiToken(db, { name: "Sunshine community centre", scope: "partner" });
  staffDbToken = await createApiToken(db, { name: "Case system", scope: "staff" });
  revokedStaff = await createApiToken(db, { name: "Old case system", scope: "staff" });
  await revokeApiToken(db, revokedStaff.id);
  const result = await submitApplication(
    db,
    {
      applicant: { name: "王秀英", idNumber: APPLICANT_ID, phone: "13800138000", language: "zh-CN" },
      onBehalfOf: { name: "李明", phone: "13900139000", relationship: "child", consent: "document" },
      household: POOR_HOUSEHOLD,
      programs: ["dibao", "medical"],
      channel: "partner",
      actor: `partner:${partner.id}`,
      createdByTokenId: partner.id,
    },
    NOW,
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  reference = result.reference;
  const later = new Date(NOW.getTime() + 60_000);
  evidenceId = (
    await addEvidenceRecord(
      db,
      { applicationId: result.id, type: "authorization", stored: { storedName: "00112233445566778899aabbccddeeff.pdf", format: "pdf", size: 321, sha256: "cd".repeat(32) }, actor: `partner:${partner.id}` },
      later,
    )
  ).id;
  await changeStatus(db, { reference, to: "screening", actor: "staff:caseworker" }, new Date(NOW.getTime() + 120_000));
});

function get(ref: string, headers: Record<string, string> = bearer(STAFF_TOKEN)) {
  return callLoader(loader, new Request(`http://localhost/api/v1/staff/cases/${encodeURIComponent(ref)}`, { headers }), { reference: ref });
}

describe("who may read a case", () => {
  it("answers 401 without a token, with a wrong one and with a revoked one", async () => {
    const none = await get(reference, {});
    expect(none.status).toBe(401);
    expect(none.headers.get("WWW-Authenticate")).toMatch(/^Bearer\b/);
    for (const token of ["nope", revokedStaff.token]) {
      const reply = await get(reference, { ...bearer(token), "Accept-Language": "en" });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ errors: [{ path: "", message: fixedT("en", "api")("auth.invalid") }] });
    }
  });

  it("answers 403 to a partner token, even for a case it created", async () => {
    const reply = await get(reference, { ...bearer(partner.token), "Accept-Language": "en" });
    expect(reply.status).toBe(403);
    expect(reply.body).toEqual({ errors: [{ path: "", message: fixedT("en", "api")("auth.forbidden") }] });
  });

  it("lets the environment's staff token and a staff token from the database read it", async () => {
    expect((await get(reference)).status).toBe(200);
    expect((await get(reference, bearer(staffDbToken.token))).status).toBe(200);
  });

  it("applies the same rules to the staff call-back list: 403 for partners, 200 for a database staff token", async () => {
    const list = (headers: Record<string, string>) => callLoader(callbacksLoader, new Request("http://localhost/api/v1/staff/callbacks", { headers }));
    expect((await list(bearer(partner.token))).status).toBe(403);
    expect((await list(bearer(staffDbToken.token))).status).toBe(200);
    expect((await list(bearer(revokedStaff.token))).status).toBe(401);
  });

  it("answers 405 to POST", async () => {
    const reply = await callAction(action, new Request(`http://localhost/api/v1/staff/cases/${reference}`, { method: "POST", headers: bearer(STAFF_TOKEN) }), { reference });
    expect(reply.status).toBe(405);
  });
});

describe("the case", () => {
  it("answers 404 for an unknown reference, a mistyped one and a malformed one", async () => {
    const mistyped = reference.slice(0, -1) + (reference.endsWith("2") ? "3" : "2");
    for (const ref of ["LA-2222-2222", mistyped, "../../etc/passwd", "CB-2222-2222"]) {
      const reply = await get(ref, { ...bearer(STAFF_TOKEN), "Accept-Language": "en" });
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({ errors: [{ path: "reference", message: fixedT("en", "application")("notFound") }] });
    }
  });

  it("finds the case by its reference as people type it", async () => {
    const reply = await get(reference.toLowerCase().replace(/-/g, " "));
    expect(reply.status).toBe(200);
    expect(reply.body.reference).toBe(reference);
  });

  it("has the contract's fields, the applicant with a masked ID number, the proxy, results, evidence and timeline", async () => {
    const reply = await get(reference, { ...bearer(STAFF_TOKEN), "Accept-Language": "en" });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("Cache-Control")).toBe("no-store");
    const body = reply.body;
    expect(Object.keys(body)).toEqual(expect.arrayContaining(["reference", "status", "channel", "applicant", "onBehalfOf", "results", "evidence", "timeline"]));
    expect(body).toMatchObject({
      reference,
      status: "screening",
      channel: "partner",
      submittedAt: NOW.toISOString(),
      programs: ["dibao", "medical"],
      applicant: { name: "王秀英", idNumber: `110***********${APPLICANT_ID.slice(-4)}`, phone: "+8613800138000", language: "zh-CN" },
      onBehalfOf: { name: "李明", phone: "+8613900139000", relationship: "child", consent: "document", consentAt: NOW.toISOString(), revokedAt: null },
      evidence: [{ id: evidenceId, type: "authorization", status: "received" }],
    });
    expect(JSON.stringify(body)).not.toContain(APPLICANT_ID);

    const assessment = assessHousehold(POOR_HOUSEHOLD, "2026-03-02");
    expect(body.rulesVersion).toBe(assessment.rulesVersion);
    const results = body.results as Array<{ program: string; outcome: string; reasons: Array<{ code: string; message: string }> }>;
    expect(results.map((r) => [r.program, r.outcome])).toEqual(assessment.results.map((r) => [r.program, r.outcome]));
    expect(results[0].reasons[0].message).toMatch(/\w/);

    expect(body.timeline).toEqual([
      { type: "status", fromStatus: null, toStatus: "submitted", actor: `partner:${partner.id}`, at: NOW.toISOString(), detail: {} },
      {
        type: "evidence_received",
        fromStatus: null,
        toStatus: null,
        actor: `partner:${partner.id}`,
        at: new Date(NOW.getTime() + 60_000).toISOString(),
        detail: { evidenceId, type: "authorization" },
      },
      { type: "status", fromStatus: "submitted", toStatus: "screening", actor: "staff:caseworker", at: new Date(NOW.getTime() + 120_000).toISOString(), detail: {} },
    ]);
  });
});
