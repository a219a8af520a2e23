// POST /api/v1/applications/:reference/evidence: documents are checked by
// their bytes and size, only the case's creator (or staff) may add to it, and
// on every refusal nothing is stored: no Evidence row, no file, no temporary file.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EVIDENCE_MAX_BYTES } from "~/domain/case";
import { createApiToken } from "~/models/api-token.server";
import { submitApplication } from "~/models/application.server";
import { action, loader } from "~/routes/api.v1.applications.$reference.evidence";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { heifFile, htmlNamedPdf, jpegParts, pdfFile, pngParts, svgFile } from "../../unit/evidence/sample-files";
import { APPLICANT_ID, bearer, callAction, callLoader, filesIn, POOR_HOUSEHOLD, STAFF_TOKEN, makeTemporaryUploadDir } from "./helpers";

const uploadDir = makeTemporaryUploadDir();
const en = fixedT("en", "application");

let partner: { id: string; token: string };
let otherPartner: { id: string; token: string };
let reference = "";
let applicationId = "";
let otherReference = "";

beforeAll(async () => {
  partner = await createApiToken(db, { name: "Sunshine community centre", scope: "partner" });
  otherPartner = await createApiToken(db, { name: "Another NGO", scope: "partner" });
  const submit = async (createdByTokenId: string) => {
    const result = await submitApplication(db, {
      applicant: { name: "王秀英", idNumber: APPLICANT_ID, phone: "13800138000" },
      household: POOR_HOUSEHOLD,
      programs: ["dibao"],
      channel: "partner",
      actor: `partner:${createdByTokenId}`,
      createdByTokenId,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result;
  };
  const mine = await submit(partner.id);
  reference = mine.reference;
  applicationId = mine.id;
  otherReference = (await submit(otherPartner.id)).reference;
});

interface Part {
  name: string;
  value: string | { bytes: Uint8Array; filename: string; type: string };
}

function upload(parts: Part[], { ref = reference, token = partner.token, headers = {} as Record<string, string> } = {}) {
  const form = new FormData();
  for (const part of parts) {
    if (typeof part.value === "string") form.append(part.name, part.value);
    else form.append(part.name, new Blob([Uint8Array.from(part.value.bytes)], { type: part.value.type }), part.value.filename);
  }
  const request = new Request(`http://localhost/api/v1/applications/${ref}/evidence`, {
    method: "POST",
    headers: { ...bearer(token), "Accept-Language": "en", ...headers },
    body: form,
  });
  return callAction(action, request, { reference: ref });
}

const file = (bytes: Uint8Array, filename: string, type: string): Part => ({ name: "file", value: { bytes, filename, type } });
const kind = (value: string): Part => ({ name: "type", value });

async function nothingStored(run: () => Promise<unknown>) {
  const rows = await db.evidence.count();
  const events = await db.caseEvent.count({ where: { type: "evidence_received" } });
  const files = filesIn(uploadDir);
  await run();
  expect(await db.evidence.count()).toBe(rows);
  expect(await db.caseEvent.count({ where: { type: "evidence_received" } })).toBe(events);
  expect(filesIn(uploadDir)).toEqual(files);
}

describe("accepted documents", () => {
  it.each([
    ["a PDF", pdfFile(), "scan.pdf", "application/pdf", "pdf", "id_card"],
    ["a JPEG", jpegParts().file, "IMG_0001.JPG", "image/jpeg", "jpeg", "household_register"],
    ["a PNG", pngParts().file, "screenshot.png", "image/png", "png", "income_proof"],
    ["a HEIC named .bin with no declared type", heifFile(), "photo.bin", "application/octet-stream", "heic", "other"],
  ])("stores %s and answers 201 received, with a row, a timeline event and a file", async (_name, bytes, filename, type, format, evidenceType) => {
    const before = filesIn(uploadDir).length;
    const reply = await upload([kind(evidenceType), file(bytes, filename, type)]);
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ id: expect.any(String), status: "received" });
    const row = await db.evidence.findUniqueOrThrow({ where: { id: reply.body.id as string } });
    expect(row).toMatchObject({ applicationId, type: evidenceType, status: "received", format });
    expect(row.storedName).toMatch(/^[0-9a-f]{32}\.(pdf|jpg|png|heic)$/);
    expect(row.storedName).not.toContain(filename);
    expect(fs.statSync(path.join(uploadDir, row.storedName)).size).toBe(row.size);
    expect(filesIn(uploadDir)).toHaveLength(before + 1);
    const event = await db.caseEvent.findFirst({ where: { applicationId, type: "evidence_received" }, orderBy: { at: "desc" } });
    expect(event).toMatchObject({ actor: `partner:${partner.id}` });
    expect(JSON.parse(event!.detail)).toMatchObject({ evidenceId: row.id, type: evidenceType });
  });

  it("accepts the file before the type, and staff tokens on any case", async () => {
    const reply = await upload([file(pdfFile(), "a.pdf", "application/pdf"), kind("authorization")], { ref: otherReference, token: STAFF_TOKEN });
    expect(reply.status).toBe(201);
    const event = await db.caseEvent.findFirst({ where: { type: "evidence_received" }, orderBy: [{ at: "desc" }, { id: "desc" }] });
    expect(event?.actor).toBe("staff-api:env");
  });

  it("accepts a file of exactly 10 MB", async () => {
    const bytes = new Uint8Array(EVIDENCE_MAX_BYTES);
    bytes.set(pdfFile());
    const reply = await upload([kind("medical_bills"), file(bytes, "big.pdf", "application/pdf")]);
    expect(reply.status).toBe(201);
    const row = await db.evidence.findUniqueOrThrow({ where: { id: reply.body.id as string } });
    expect(row.size).toBe(EVIDENCE_MAX_BYTES);
  });
});

describe("refused documents: nothing stored", () => {
  it("answers 415 to an HTML page named .pdf and declared as a PDF", async () => {
    await nothingStored(async () => {
      const reply = await upload([kind("id_card"), file(htmlNamedPdf(), "scan.pdf", "application/pdf")]);
      expect(reply.status).toBe(415);
      expect(reply.body).toEqual({ errors: [{ path: "file", message: en("evidence.unsupported") }] });
    });
  });

  it("answers 415 to an SVG declared as PNG", async () => {
    await nothingStored(async () => {
      expect((await upload([kind("id_card"), file(svgFile(), "photo.png", "image/png")])).status).toBe(415);
    });
  });

  it("answers 415 to a PDF header hidden after other bytes, and to a name with ../ in it", async () => {
    await nothingStored(async () => {
      const shifted = new Uint8Array([0x20, ...pdfFile()]);
      expect((await upload([kind("id_card"), file(shifted, "../../etc/passwd.pdf", "application/pdf")])).status).toBe(415);
    });
  });

  it("answers 413 to 10 MB + 1 byte, and keeps no partial file", async () => {
    await nothingStored(async () => {
      const bytes = new Uint8Array(EVIDENCE_MAX_BYTES + 1);
      bytes.set(pdfFile());
      const reply = await upload([kind("id_card"), file(bytes, "big.pdf", "application/pdf")]);
      expect(reply.status).toBe(413);
      expect(reply.body).toEqual({ errors: [{ path: "file", message: en("evidence.tooLarge") }] });
    });
  });

  it("answers 413 before reading when Content-Length says the body is far over the limit", async () => {
    await nothingStored(async () => {
      const reply = await upload([kind("id_card"), file(pdfFile(), "a.pdf", "application/pdf")], { headers: { "Content-Length": String(50 * 1024 * 1024) } });
      expect(reply.status).toBe(413);
      expect(reply.headers.get("Connection")).toBe("close");
    });
  });

  it("answers 400 to a wrong or missing type, even with a good file", async () => {
    await nothingStored(async () => {
      const wrong = await upload([kind("passport"), file(pdfFile(), "a.pdf", "application/pdf")]);
      expect(wrong.status).toBe(400);
      expect(wrong.body).toEqual({ errors: [{ path: "type", message: en("evidence.typeInvalid") }] });
      const after = await upload([file(pdfFile(), "a.pdf", "application/pdf"), kind("passport")]);
      expect(after.status).toBe(400);
      const missing = await upload([file(pdfFile(), "a.pdf", "application/pdf")]);
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ errors: [{ path: "type", message: en("evidence.typeMissing") }] });
    });
  });

  it("answers 400 to a missing file, two files, or an unknown field", async () => {
    await nothingStored(async () => {
      const none = await upload([kind("id_card")]);
      expect(none.status).toBe(400);
      expect(none.body).toEqual({ errors: [{ path: "file", message: en("evidence.fileMissing") }] });
      const two = await upload([kind("id_card"), file(pdfFile(), "a.pdf", "application/pdf"), file(pdfFile(), "b.pdf", "application/pdf")]);
      expect(two.status).toBe(400);
      expect(two.body.errors).toEqual([{ path: "file", message: en("evidence.fileTwice") }]);
      const extra = await upload([kind("id_card"), { name: "note", value: "hi" }, file(pdfFile(), "a.pdf", "application/pdf")]);
      expect(extra.status).toBe(400);
      expect(extra.body.errors).toEqual([{ path: "note", message: en("evidence.unknownField", { replace: { field: "note" } }) }]);
    });
  });

  it("answers 400 to an empty file", async () => {
    await nothingStored(async () => {
      const reply = await upload([kind("id_card"), file(new Uint8Array(0), "a.pdf", "application/pdf")]);
      expect(reply.status).toBe(400);
    });
  });

  it("answers 415 to a body that is not multipart, and 400 to a broken multipart body", async () => {
    await nothingStored(async () => {
      const json = new Request(`http://localhost/api/v1/applications/${reference}/evidence`, {
        method: "POST",
        headers: { ...bearer(partner.token), "Content-Type": "application/json" },
        body: JSON.stringify({ type: "id_card", file: "JVBERi0=" }),
      });
      expect((await callAction(action, json, { reference })).status).toBe(415);
      const broken = new Request(`http://localhost/api/v1/applications/${reference}/evidence`, {
        method: "POST",
        headers: { ...bearer(partner.token), "Content-Type": "multipart/form-data; boundary=XYZ" },
        body: '--XYZ\r\nContent-Disposition: form-data; name="type"\r\n\r\nid_card\r\n--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 and then the body stops',
      });
      const reply = await callAction(action, broken, { reference });
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ errors: [{ path: "", message: fixedT("zh-CN", "application")("evidence.malformed") }] });
    });
  });
});

describe("who may add evidence", () => {
  it("answers 404 to a partner adding to another partner's case, as for a case that does not exist", async () => {
    await nothingStored(async () => {
      const other = await upload([kind("id_card"), file(pdfFile(), "a.pdf", "application/pdf")], { ref: otherReference });
      const unknown = await upload([kind("id_card"), file(pdfFile(), "a.pdf", "application/pdf")], { ref: "LA-2222-2222" });
      const malformed = await upload([kind("id_card"), file(pdfFile(), "a.pdf", "application/pdf")], { ref: "..%2F..%2Fetc" });
      expect([other.status, unknown.status, malformed.status]).toEqual([404, 404, 404]);
      expect(other.body).toEqual(unknown.body);
    });
  });

  it("answers 401 without a good token and 405 to GET", async () => {
    await nothingStored(async () => {
      expect((await upload([kind("id_card"), file(pdfFile(), "a.pdf", "application/pdf")], { token: "ll_wrong" })).status).toBe(401);
    });
    const reply = await callLoader(loader, new Request(`http://localhost/api/v1/applications/${reference}/evidence`), { reference });
    expect(reply.status).toBe(405);
  });
});
