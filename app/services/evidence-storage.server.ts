// Stores uploaded evidence files on disk, outside public/, safely:
// - the format comes from the first bytes (PDF, JPEG, PNG, HEIC), never from
//   the name or declared type; anything else is refused (415) and nothing kept;
// - the upload is streamed to a temporary file, so memory stays flat whatever
//   the size, and reading stops the moment it passes the limit (413);
// - JPEG and PNG lose their metadata (GPS, camera, text) while being copied
//   (app/domain/evidence/strip-*.ts). A HEIC photo's Exif and XMP items are
//   overwritten with zeros in the written file (app/domain/evidence/heif-metadata.ts),
//   which keeps every offset in it valid. PDF document properties are kept;
// - names are random (128 bits from crypto) plus the format's extension: no
//   part of anything the uploader sent ever reaches a path;
// - the file is fsynced, then renamed into place with mode 0600, and the
//   sha256 of the stored bytes is returned for the Evidence row.
// Serving (as an attachment, to those allowed) is the routes' job, through
// openEvidenceFile.

import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { detectEvidenceFormat, FORMAT_SNIFF_BYTES } from "~/domain/evidence/file-format";
import { heifMetadataRanges } from "~/domain/evidence/heif-metadata";
import { MalformedFileError, metadataStripperFor, type MetadataStripper } from "~/domain/evidence/strip-metadata";
import { EVIDENCE_MAX_BYTES, type EvidenceFormat } from "~/domain/evidence/types";
import { config } from "./config.server";

export type StoreEvidenceResult =
  | { ok: true; storedName: string; format: EvidenceFormat; size: number; sha256: string }
  | { ok: false; reason: "too_large" | "unsupported_type" | "empty"; status: 413 | 415 | 400 };

export interface StorageOptions {
  /** Where files live; default config().uploadDir (UPLOAD_DIR). */
  uploadDir?: string;
}

const EXTENSIONS: Readonly<Record<EvidenceFormat, string>> = { pdf: "pdf", jpeg: "jpg", png: "png", heic: "heic" };
const FORMAT_OF_EXTENSION: Readonly<Record<string, EvidenceFormat>> = { pdf: "pdf", jpg: "jpeg", png: "png", heic: "heic" };

/** Stored names: 32 lowercase hex characters and one of our extensions. Temporary files never match. */
const STORED_NAME = /^[0-9a-f]{32}\.(pdf|jpg|png|heic)$/;

// Writes are gathered to this size so a stream of tiny chunks does not become thousands of syscalls.
const WRITE_BATCH_BYTES = 256 * 1024;

export function isStoredEvidenceName(name: unknown): name is string {
  return typeof name === "string" && STORED_NAME.test(name);
}

/** The format a stored name was given for, or null when the name is not one of ours. */
export function formatOfStoredName(name: string): EvidenceFormat | null {
  if (!isStoredEvidenceName(name)) return null;
  return FORMAT_OF_EXTENSION[name.slice(name.lastIndexOf(".") + 1)] ?? null;
}

function uploadDirOf(options: StorageOptions): string {
  return path.resolve(options.uploadDir ?? config().uploadDir);
}

const refused = {
  too_large: { ok: false, reason: "too_large", status: 413 },
  unsupported_type: { ok: false, reason: "unsupported_type", status: 415 },
  empty: { ok: false, reason: "empty", status: 400 },
} as const;

/**
 * Streams `source` (a request body, a multipart part, a file stream) into the
 * upload directory. A refusal leaves nothing behind. Errors that are not the
 * file's fault (the client went away, the disk is full) are thrown after the
 * temporary file is removed.
 */
export async function storeEvidenceFile(
  source: AsyncIterable<Uint8Array>,
  options: StorageOptions & { maxBytes?: number } = {},
): Promise<StoreEvidenceResult> {
  const dir = uploadDirOf(options);
  const maxBytes = options.maxBytes ?? EVIDENCE_MAX_BYTES;
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });

  const id = crypto.randomBytes(16).toString("hex");
  const tempPath = path.join(dir, `.upload-${id}.part`);
  const output = new Output();
  let received = 0;
  // The first bytes, held until there are enough to tell the format.
  let head: Uint8Array[] = [];
  let headLength = 0;
  let writing: { format: EvidenceFormat; stripper: MetadataStripper } | null = null;

  /** Decides the format from the bytes held so far and, when it is ours, starts the temporary file. */
  async function begin(): Promise<{ format: EvidenceFormat; stripper: MetadataStripper } | null> {
    const first = Buffer.concat(head, headLength);
    head = [];
    const format = detectEvidenceFormat(first);
    if (!format) return null;
    const stripper = metadataStripperFor(format);
    await output.open(tempPath);
    await output.write(stripper.push(first));
    return { format, stripper };
  }

  try {
    // Leaving this loop early (return) cancels the source: nothing more is read.
    for await (const chunk of source) {
      if (chunk.length === 0) continue;
      received += chunk.length;
      if (received > maxBytes) {
        await output.discard(tempPath);
        return refused.too_large;
      }
      if (writing) {
        await output.write(writing.stripper.push(chunk));
        continue;
      }
      // A copy: the source may reuse its buffer for the next chunk.
      head.push(Uint8Array.from(chunk));
      headLength += chunk.length;
      if (headLength < FORMAT_SNIFF_BYTES) continue;
      writing = await begin();
      if (!writing) return refused.unsupported_type;
    }

    if (received === 0) return refused.empty;
    writing ??= await begin();
    if (!writing) return refused.unsupported_type;
    await output.write(writing.stripper.end());
    const written = await output.finish();
    const size = written.size;
    const sha256 = writing.format === "heic" ? await clearHeifMetadata(tempPath, written.sha256) : written.sha256;

    const storedName = `${id}.${EXTENSIONS[writing.format]}`;
    await fs.promises.rename(tempPath, path.join(dir, storedName));
    await syncDirectory(dir);
    return { ok: true, storedName, format: writing.format, size, sha256 };
  } catch (error) {
    await output.discard(tempPath);
    if (error instanceof MalformedFileError) return refused.unsupported_type;
    throw error;
  }
}

/** The temporary file being written: batched writes, a running sha256 and size of what is kept. */
class Output {
  private file: fs.promises.FileHandle | null = null;
  private readonly hash = crypto.createHash("sha256");
  private size = 0;
  // Kept bytes are copied here, so a source that reuses its buffers cannot change them before they are written.
  private readonly buffer = Buffer.allocUnsafe(WRITE_BATCH_BYTES);
  private used = 0;

  async open(tempPath: string): Promise<void> {
    // wx: never follow or reuse something already there.
    this.file = await fs.promises.open(tempPath, "wx", 0o600);
  }

  async write(parts: Uint8Array[]): Promise<void> {
    for (const part of parts) {
      this.hash.update(part);
      this.size += part.length;
      let at = 0;
      while (at < part.length) {
        const take = Math.min(part.length - at, this.buffer.length - this.used);
        this.buffer.set(part.subarray(at, at + take), this.used);
        this.used += take;
        at += take;
        if (this.used === this.buffer.length) await this.flush();
      }
    }
  }

  private async flush(): Promise<void> {
    if (this.used === 0 || !this.file) return;
    // A write may be partial; carry on from where it stopped.
    for (let done = 0; done < this.used; ) done += (await this.file.write(this.buffer, done, this.used - done)).bytesWritten;
    this.used = 0;
  }

  /** Writes what is left, fsyncs and closes; the caller renames the file into place. */
  async finish(): Promise<{ size: number; sha256: string }> {
    if (!this.file) throw new Error("Output.finish before open");
    await this.flush();
    await this.file.sync();
    await this.file.close();
    this.file = null;
    return { size: this.size, sha256: this.hash.digest("hex") };
  }

  async discard(tempPath: string): Promise<void> {
    this.used = 0;
    await this.file?.close().catch(() => undefined);
    this.file = null;
    await fs.promises.rm(tempPath, { force: true });
  }
}

const ZEROS = Buffer.alloc(64 * 1024);

/**
 * Overwrites the Exif and XMP items of the HEIC file at `filePath` with zeros
 * and returns the sha256 of what is now stored (`written` when nothing changed).
 * Throws MalformedFileError when its boxes do not add up.
 */
async function clearHeifMetadata(filePath: string, written: string): Promise<string> {
  const handle = await fs.promises.open(filePath, "r+");
  try {
    const { size } = await handle.stat();
    const read = (offset: number, length: number): Uint8Array => {
      const buffer = Buffer.alloc(length);
      const got = fs.readSync(handle.fd, buffer, 0, length, offset);
      return buffer.subarray(0, got);
    };
    const ranges = heifMetadataRanges({ size, read });
    if (ranges.length === 0) return written;
    for (const range of ranges) {
      for (let done = 0; done < range.length; ) {
        const take = Math.min(ZEROS.length, range.length - done);
        done += (await handle.write(ZEROS, 0, take, range.offset + done)).bytesWritten;
      }
    }
    await handle.sync();
    const hash = crypto.createHash("sha256");
    for await (const chunk of handle.createReadStream({ start: 0, autoClose: false })) hash.update(chunk as Buffer);
    return hash.digest("hex");
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Makes the rename itself durable; some file systems cannot fsync a directory, which is fine. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | null = null;
  try {
    handle = await fs.promises.open(dir, "r");
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * A stored file to send, or null when the name is not one of ours or the file
 * is gone. The name is checked against the exact pattern storeEvidenceFile
 * makes, so "../etc/passwd" and the like never reach the file system; the
 * file is opened without following links, and must be a regular file.
 */
export async function openEvidenceFile(
  storedName: string,
  options: StorageOptions = {},
): Promise<{ stream: Readable; size: number; format: EvidenceFormat } | null> {
  const format = formatOfStoredName(storedName);
  if (!format) return null;
  const fullPath = path.join(uploadDirOf(options), storedName);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(fullPath, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      return null;
    }
    // The stream closes the handle when it ends or is destroyed.
    return { stream: handle.createReadStream({ autoClose: true }), size: stat.size, format };
  } catch {
    await handle.close().catch(() => undefined);
    return null;
  }
}

/** Removes a stored file; false when the name is not one of ours or there was nothing to remove. */
export async function deleteEvidenceFile(storedName: string, options: StorageOptions = {}): Promise<boolean> {
  if (!isStoredEvidenceName(storedName)) return false;
  try {
    await fs.promises.unlink(path.join(uploadDirOf(options), storedName));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
