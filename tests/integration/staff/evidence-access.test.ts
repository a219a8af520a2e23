// Evidence files are served only to staff who may see cases, only through the
// case they belong to, as attachments with a name we make, nosniff and never
// cached; each download is audited.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loader as evidenceLoader } from "~/routes/staff.cases.$reference.evidence.$id";
import { db } from "~/services/db.server";
import { makeTemporaryUploadDir } from "../applications/helpers";
import { signInAs, staffGet, type TestStaffSession } from "../../support/staff";
import { addPdf, auditOf, makeCase, PDF_BYTES, type MadeCase } from "./case-fixtures";

let uploadDir: string;
let caseworker: TestStaffSession;
let supervisor: TestStaffSession;
let admin: TestStaffSession;
let a: MadeCase;
let b: MadeCase;
let aFile: string;
let aSecond: string;
let bFile: string;

beforeAll(async () => {
  uploadDir = makeTemporaryUploadDir();
  caseworker = await signInAs("caseworker");
  supervisor = await signInAs("supervisor");
  admin = await signInAs("admin");
  a = await makeCase();
  b = await makeCase();
  aFile = await addPdf(a.id);
  aSecond = await addPdf(a.id);
  bFile = await addPdf(b.id);
});

async function download(session: TestStaffSession | null, reference: string, id: string) {
  const request = staffGet(`/staff/cases/${reference}/evidence/${id}`, session);
  let response: Response;
  try {
    response = (await evidenceLoader({ request, params: { reference, id }, context: {} })) as Response;
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  return response;
}

describe("evidence downloads", () => {
  it("serves the file to a caseworker as an attachment with a generated name, its type, nosniff and no-store; audited", async () => {
    const response = await download(caseworker, a.reference, aSecond);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${a.reference}-id_card-2.pdf"`);
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(Buffer.from(await response.arrayBuffer()).equals(PDF_BYTES)).toBe(true);
    const audit = await auditOf(a.reference, "view_evidence");
    expect(audit.at(-1)).toMatchObject({ actor: `staff:${caseworker.staffId}` });
    expect(JSON.parse(audit.at(-1)!.detail)).toMatchObject({ evidenceId: aSecond, type: "id_card" });
  });

  it("serves a supervisor too", async () => {
    const response = await download(supervisor, a.reference, aFile);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toContain(`${a.reference}-id_card-1.pdf`);
    await response.arrayBuffer();
  });

  it("is 404 when the document belongs to another case, whichever way round; nothing is audited", async () => {
    const before = await db.auditEntry.count({ where: { action: "view_evidence" } });
    expect((await download(caseworker, a.reference, bFile)).status).toBe(404);
    expect((await download(caseworker, b.reference, aFile)).status).toBe(404);
    expect((await download(caseworker, "LA-2222-2222", aFile)).status).toBe(404);
    expect((await download(caseworker, a.reference, "no-such-id")).status).toBe(404);
    expect(await db.auditEntry.count({ where: { action: "view_evidence" } })).toBe(before);
  });

  it("refuses anonymous people (to the login page) and admins, who do not read residents' records (403)", async () => {
    const anonymous = await download(null, a.reference, aFile);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("Location")).toMatch(/^\/staff\/login\?next=/);
    expect((await download(admin, a.reference, aFile)).status).toBe(403);
  });

  it("is 404 (not a 500) when the file is gone from the disk", async () => {
    const row = await db.evidence.findUniqueOrThrow({ where: { id: bFile } });
    fs.rmSync(path.join(uploadDir, row.storedName));
    expect((await download(caseworker, b.reference, bFile)).status).toBe(404);
  });

  it("never serves a row whose stored name is not one of ours", async () => {
    const row = await db.evidence.create({
      data: { applicationId: a.id, type: "other", storedName: "../../etc/passwd", format: "pdf", size: 1, sha256: "0".repeat(64) },
    });
    expect((await download(caseworker, a.reference, row.id)).status).toBe(404);
  });
});
