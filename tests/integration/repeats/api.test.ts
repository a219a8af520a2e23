// Idempotency-Key on the other state-changing APIs, as on POST
// /api/v1/applications: the same key and request → the first answer again
// (Idempotent-Replayed: true) and nothing new; the same key with another
// request → 422 with a plain message and nothing new; a bad key → 400.
import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "~/models/api-token.server";
import { submitApplication } from "~/models/application.server";
import { action as callbacksAction } from "~/routes/api.v1.callbacks";
import { action as evidenceAction } from "~/routes/api.v1.applications.$reference.evidence";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { jpegParts, pdfFile } from "../../unit/evidence/sample-files";
import { APPLICANT_ID, bearer, callAction, filesIn, makeTemporaryUploadDir, POOR_HOUSEHOLD } from "../applications/helpers";

const uploadDir = makeTemporaryUploadDir();
const en = fixedT("en", "repeat");

function postCallback(body: unknown, key?: string) {
  const headers: Record<string, string> = { "Content-Type": "application/json", "Accept-Language": "en" };
  if (key !== undefined) headers["Idempotency-Key"] = key;
  return callAction(callbacksAction, new Request("http://localhost/api/v1/callbacks", { method: "POST", headers, body: JSON.stringify(body) }));
}

describe("POST /api/v1/callbacks with an Idempotency-Key", () => {
  it("answers a repeat with the first reference and queues one call", async () => {
    const before = await db.callbackRequest.count();
    const first = await postCallback({ phone: "13812340001", name: "Li" }, "cb-key-1");
    const second = await postCallback({ name: "Li", phone: "13812340001" }, "cb-key-1");
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await db.callbackRequest.count()).toBe(before + 1);
  });

  it("refuses the key with another request: 422, plain words, nothing queued", async () => {
    await postCallback({ phone: "13812340002" }, "cb-key-2");
    const before = await db.callbackRequest.count();
    const other = await postCallback({ phone: "13812340003" }, "cb-key-2");
    expect(other.status).toBe(422);
    expect(other.body).toEqual({ errors: [{ path: "Idempotency-Key", message: en("key.mismatch") }] });
    expect(await db.callbackRequest.count()).toBe(before);
  });

  it("queues two calls for two keys or no key, and keeps no refusal under a key", async () => {
    const before = await db.callbackRequest.count();
    expect((await postCallback({ phone: "13812340004" }, "cb-key-3")).status).toBe(201);
    expect((await postCallback({ phone: "13812340004" }, "cb-key-4")).status).toBe(201);
    expect((await postCallback({ phone: "13812340005" })).status).toBe(201);
    expect((await postCallback({ phone: "13812340005" })).status).toBe(201);
    expect(await db.callbackRequest.count()).toBe(before + 4);
    const refused = await postCallback({ phone: "12" }, "cb-key-5");
    expect(refused.status).toBe(400);
    expect((await postCallback({ phone: "13812340006" }, "cb-key-5")).status).toBe(201);
  });

  it("answers 400 to an unusable key", async () => {
    const long = await postCallback({ phone: "13812340007" }, "k".repeat(256));
    expect(long.status).toBe(400);
    expect(long.body).toEqual({ errors: [{ path: "Idempotency-Key", message: en("key.tooLong") }] });
    expect((await postCallback({ phone: "13812340007" }, "tab\there")).status).toBe(400);
  });
});

describe("POST /api/v1/applications/:reference/evidence with an Idempotency-Key", () => {
  let partner: { id: string; token: string };
  let reference = "";
  let applicationId = "";

  beforeAll(async () => {
    partner = await createApiToken(db, { name: "Repeat NGO", scope: "partner" });
    const result = await submitApplication(db, {
      applicant: { name: "王秀英", idNumber: APPLICANT_ID, phone: "13800138000" },
      household: POOR_HOUSEHOLD,
      programs: ["dibao"],
      channel: "partner",
      actor: `partner:${partner.id}`,
      createdByTokenId: partner.id,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    reference = result.reference;
    applicationId = result.id;
  });

  function upload(bytes: Uint8Array, type: string, key?: string, filename = "scan.pdf", mime = "application/pdf") {
    const form = new FormData();
    form.append("type", type);
    form.append("file", new Blob([Uint8Array.from(bytes)], { type: mime }), filename);
    const headers: Record<string, string> = { ...bearer(partner.token), "Accept-Language": "en" };
    if (key !== undefined) headers["Idempotency-Key"] = key;
    return callAction(evidenceAction, new Request(`http://localhost/api/v1/applications/${reference}/evidence`, { method: "POST", headers, body: form }), {
      reference,
    });
  }

  const count = () => db.evidence.count({ where: { applicationId } });
  const files = () => filesIn(uploadDir).filter((f) => !f.startsWith("."));

  it("answers a repeat of the same document with the first id; one row, one file", async () => {
    const bytes = pdfFile();
    const first = await upload(bytes, "id_card", "ev-key-1");
    const second = await upload(bytes, "id_card", "ev-key-1", "renamed.pdf");
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await count()).toBe(1);
    expect(files()).toHaveLength(1);
  });

  it("refuses the key with another document (422) and keeps no file of it", async () => {
    const rows = await count();
    const kept = files();
    const other = await upload(jpegParts().file, "income_proof", "ev-key-1", "photo.jpg", "image/jpeg");
    expect(other.status).toBe(422);
    expect(other.body).toEqual({ errors: [{ path: "Idempotency-Key", message: en("key.mismatch") }] });
    expect(await count()).toBe(rows);
    expect(files()).toEqual(kept);
  });

  it("keeps two documents for two keys, and refuses a bad key before reading the file", async () => {
    const rows = await count();
    expect((await upload(pdfFile(), "household_register", "ev-key-2")).status).toBe(201);
    expect((await upload(pdfFile(), "household_register", "ev-key-3")).status).toBe(201);
    expect(await count()).toBe(rows + 2);
    const kept = files();
    expect((await upload(pdfFile(), "other", "x".repeat(300))).status).toBe(400);
    expect(files()).toEqual(kept);
  });
});
