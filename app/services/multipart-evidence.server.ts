// Reads one evidence upload (multipart/form-data with the fields `file` and
// `type`) straight to disk: the file part's bytes go from the request stream
// into storeEvidenceFile chunk by chunk, never whole in memory, so memory
// stays flat whatever the size. Remix's multipart parser gives each part as an
// AsyncIterable; a part we do not keep is read and thrown away (the parser
// would otherwise hold its rest in memory).
//
// Nothing is kept unless the whole upload is good: a refused file is deleted
// by storeEvidenceFile, and a good file is deleted here when anything else in
// the request is wrong (its type, a second file, an unknown field, a broken body).
import { unstable_parseMultipartFormData, type UploadHandlerPart } from "@remix-run/node";
import { EVIDENCE_MAX_BYTES, isEvidenceType, type EvidenceType } from "~/domain/case";
import { DRAIN_LIMIT_BYTES, discardBody } from "./api-errors.server";
import { deleteEvidenceFile, storeEvidenceFile } from "./evidence-storage.server";

export { discardBody };

/** What the caller needs to record the file (Evidence row). */
export interface StoredUpload {
  storedName: string;
  format: string;
  size: number;
  sha256: string;
}

/** An error key of namespace "application" (evidence.*) at a field. */
export interface UploadProblem {
  path: string;
  key: string;
  values?: Record<string, string>;
}

export type EvidenceUploadResult =
  | { ok: true; type: EvidenceType; stored: StoredUpload }
  | { ok: false; status: 400 | 413 | 415; problems: UploadProblem[]; /** the body was not read to its end: close the connection */ closeConnection: boolean };

/** Multipart headers and the `type` field on top of the file: a request larger than this cannot hold an acceptable file. */
const ENVELOPE_ALLOWANCE = 512 * 1024;
/** The longest `type` value read; the real ones are far shorter. */
const TYPE_FIELD_MAX = 64;

class DrainLimitReached extends Error {}

function isMultipart(contentType: string | null): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(";").map((p) => p.trim());
  return type.toLowerCase() === "multipart/form-data" && params.some((p) => /^boundary=./i.test(p));
}


/**
 * Reads the upload and stores its file (under uploadDir, default UPLOAD_DIR)
 * when the whole request is acceptable: one `file` that is a PDF, JPEG, PNG or
 * HEIC by its bytes and at most maxBytes, and a `type` that is an evidence type.
 * Otherwise stores nothing and says why: 415 not multipart or not an accepted
 * format, 413 too large, 400 anything else.
 */
export async function readEvidenceUpload(
  request: Request,
  { uploadDir, maxBytes = EVIDENCE_MAX_BYTES }: { uploadDir?: string; maxBytes?: number } = {},
): Promise<EvidenceUploadResult> {
  if (!isMultipart(request.headers.get("content-type"))) {
    const drained = await discardBody(request);
    return { ok: false, status: 415, problems: [{ path: "", key: "evidence.notMultipart" }], closeConnection: !drained };
  }
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes + ENVELOPE_ALLOWANCE) {
    // Refused before a byte is stored; a huge body is not waited for.
    const drained = declared <= DRAIN_LIMIT_BYTES ? await discardBody(request) : false;
    return { ok: false, status: 413, problems: [{ path: "file", key: "evidence.tooLarge" }], closeConnection: !drained };
  }

  const problems: UploadProblem[] = [];
  let fileStatus: 413 | 415 | 400 | null = null;
  let stored: StoredUpload | null = null;
  let fileSeen = false;
  let typeValue: string | null = null;
  let typeSeen = false;
  let discarded = 0;

  const discardPart = async (data: AsyncIterable<Uint8Array>): Promise<void> => {
    for await (const chunk of data) {
      discarded += chunk.byteLength;
      if (discarded > DRAIN_LIMIT_BYTES) throw new DrainLimitReached();
    }
  };

  const readText = async (data: AsyncIterable<Uint8Array>, max: number): Promise<string | null> => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size > max) {
        discarded += size;
        await discardPart(data);
        return null;
      }
      chunks.push(chunk);
    }
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
    } catch {
      return null;
    }
  };

  const handler = async (part: UploadHandlerPart): Promise<undefined> => {
    if (part.name === "file") {
      if (fileSeen) {
        problems.push({ path: "file", key: "evidence.fileTwice" });
        fileStatus ??= 400;
        await discardPart(part.data);
        return undefined;
      }
      fileSeen = true;
      // Once the request is known to fail, the file is not worth writing to disk.
      if (problems.length > 0 || (typeValue !== null && !isEvidenceType((typeValue as string).trim()))) {
        await discardPart(part.data);
        return undefined;
      }
      const result = await storeEvidenceFile(part.data, { uploadDir, maxBytes });
      if (result.ok) {
        stored = { storedName: result.storedName, format: result.format, size: result.size, sha256: result.sha256 };
      } else {
        fileStatus = result.status;
        problems.push({ path: "file", key: result.status === 413 ? "evidence.tooLarge" : result.status === 415 ? "evidence.unsupported" : "evidence.fileEmpty" });
        // storeEvidenceFile stops reading at the first sign of trouble; the rest of the part is still coming.
        await discardPart(part.data);
      }
    } else if (part.name === "type" && !typeSeen) {
      typeSeen = true;
      typeValue = await readText(part.data, TYPE_FIELD_MAX);
      if (typeValue === null) typeValue = "";
    } else {
      problems.push({ path: part.name, key: part.name === "type" ? "evidence.typeInvalid" : "evidence.unknownField", values: { field: part.name } });
      await discardPart(part.data);
    }
    return undefined;
  };

  let closeConnection = false;
  let malformed = false;
  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    // Either we stopped reading a refused upload, or the body is broken (no
    // closing boundary, bad part headers…): both leave the stream half read.
    closeConnection = true;
    if (!(error instanceof DrainLimitReached)) malformed = true;
  }

  const kept = stored as StoredUpload | null;
  const refuse = async (status: 400 | 413 | 415, list: UploadProblem[]): Promise<EvidenceUploadResult> => {
    if (kept) await deleteEvidenceFile(kept.storedName, { uploadDir });
    return { ok: false, status, problems: list, closeConnection };
  };
  if (malformed) return refuse(400, [{ path: "", key: "evidence.malformed" }]);

  const type = typeValue === null ? null : (typeValue as string).trim();
  if (!fileSeen) problems.unshift({ path: "file", key: "evidence.fileMissing" });
  if (type === null) problems.push({ path: "type", key: "evidence.typeMissing" });
  else if (!isEvidenceType(type)) problems.push({ path: "type", key: "evidence.typeInvalid" });

  if (problems.length > 0 || !kept || !isEvidenceType(type)) {
    // The file's own problem (too large, not a document) decides the status; the rest is 400.
    return refuse(fileStatus === 413 || fileStatus === 415 ? fileStatus : 400, problems);
  }
  return { ok: true, type, stored: kept };
}
