// The evidence store on a real (temporary) directory: formats by their bytes,
// metadata removed, size limit while streaming, nothing left after a refusal,
// names that owe nothing to the upload, and no way out of the directory.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetConfigForTests } from "~/services/config.server";
import { deleteEvidenceFile, isStoredEvidenceName, openEvidenceFile, storeEvidenceFile } from "~/services/evidence-storage.server";
import {
  ascii,
  chunked,
  comment,
  concat,
  exifWithGps,
  gifFile,
  HEIF_IMAGE_BYTES,
  HEIF_XMP,
  heifFile,
  htmlNamedPdf,
  indexOfBytes,
  jpegParts,
  latitudeBytes,
  pdfFile,
  pngExif,
  pngParts,
  pngText,
  readPngChunks,
  segment,
  svgFile,
  xmpApp1,
  zipFile,
} from "./sample-files";

const MB = 1024 * 1024;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "lifeline-evidence-"));
let dir: string;
let n = 0;

beforeEach(() => {
  dir = path.join(root, `case-${++n}`, "uploads");
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array) => crypto.createHash("sha256").update(bytes).digest("hex");
const listDir = () => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);
const store = (bytes: Uint8Array, chunkSize = 64 * 1024, maxBytes?: number) => storeEvidenceFile(chunked(bytes, chunkSize), { uploadDir: dir, maxBytes });

async function storedBytes(name: string): Promise<Uint8Array> {
  return Uint8Array.from(fs.readFileSync(path.join(dir, name)));
}

describe("storeEvidenceFile: accepted formats", () => {
  it("keeps a PDF byte for byte, with its sha256, size and a random name", async () => {
    const pdf = pdfFile();
    const result = await store(pdf, 7);
    expect(result).toEqual({ ok: true, storedName: expect.stringMatching(/^[0-9a-f]{32}\.pdf$/), format: "pdf", size: pdf.length, sha256: sha256(pdf) });
    if (!result.ok) return;
    expect(await storedBytes(result.storedName)).toEqual(pdf);
    expect(listDir()).toEqual([result.storedName]);
  });

  it("stores a JPEG without its Exif GPS, XMP or comment, still a whole JPEG", async () => {
    const photo = jpegParts([segment(0xe1, exifWithGps(1)), xmpApp1(), comment()]);
    expect(indexOfBytes(photo.file, latitudeBytes())).toBeGreaterThan(0);
    const result = await store(photo.file, 5);
    expect(result).toMatchObject({ ok: true, format: "jpeg" });
    if (!result.ok) return;
    expect(result.storedName).toMatch(/^[0-9a-f]{32}\.jpg$/);
    const kept = await storedBytes(result.storedName);
    expect(kept).toEqual(concat([photo.soi, ...photo.kept]));
    expect(kept.subarray(0, 2)).toEqual(Uint8Array.of(0xff, 0xd8));
    expect(kept.subarray(-2)).toEqual(Uint8Array.of(0xff, 0xd9));
    expect(indexOfBytes(kept, latitudeBytes())).toBe(-1);
    expect(indexOfBytes(kept, ascii("GPS"))).toBe(-1);
    expect(indexOfBytes(kept, ascii("Secret"))).toBe(-1);
    // Size and hash are of what was stored, not of what was sent.
    expect(result.size).toBe(kept.length);
    expect(result.size).toBeLessThan(photo.file.length);
    expect(result.sha256).toBe(sha256(kept));
  });

  it("stores a PNG without tEXt and eXIf chunks, every chunk's CRC still valid", async () => {
    const image = pngParts([pngText(), pngExif()]);
    const result = await store(image.file, 3);
    expect(result).toMatchObject({ ok: true, format: "png" });
    if (!result.ok) return;
    const kept = await storedBytes(result.storedName);
    expect(kept).toEqual(image.clean);
    const chunks = readPngChunks(kept);
    expect(chunks.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    expect(chunks.every((c) => c.crcOk)).toBe(true);
    expect(indexOfBytes(kept, latitudeBytes())).toBe(-1);
    expect(result.sha256).toBe(sha256(kept));
  });

  it("clears a HEIC's Exif and XMP items (any HEIF still-image brand) and keeps the picture byte for byte", async () => {
    for (const brand of ["heic", "heix", "hevc", "hevx", "mif1", "msf1", "heim", "heis"]) {
      const heic = heifFile(brand);
      expect(indexOfBytes(heic, latitudeBytes()), "the sample carries GPS").toBeGreaterThan(0);
      const result = await store(heic, 4);
      if (!result.ok) throw new Error(`${brand} not stored`);
      expect(result, brand).toMatchObject({ format: "heic", size: heic.length });
      expect(result.storedName).toMatch(/\.heic$/);
      const kept = new Uint8Array(fs.readFileSync(path.join(dir, result.storedName)));
      expect(kept.length).toBe(heic.length);
      expect(indexOfBytes(kept, latitudeBytes()), brand).toBe(-1);
      expect(indexOfBytes(kept, ascii("SecretPhoneMaker"))).toBe(-1);
      expect(indexOfBytes(kept, HEIF_XMP)).toBe(-1);
      expect(indexOfBytes(kept, HEIF_IMAGE_BYTES)).toBe(indexOfBytes(heic, HEIF_IMAGE_BYTES));
      expect(result.sha256).toBe(sha256(kept));
      expect(result.sha256).not.toBe(sha256(heic));
    }
  });

  it("refuses a HEIC whose boxes do not add up, and keeps nothing", async () => {
    const heic = heifFile();
    const broken = heic.slice();
    broken.set([0x7f, 0xff, 0xff, 0xff], 0x18); // the meta box claims 2 GB
    expect(await store(broken)).toMatchObject({ ok: false, reason: "unsupported_type", status: 415 });
    expect(listDir()).toEqual([]);
  });

  it("writes files only the server can read (mode 0600), and no temporary file stays", async () => {
    const result = await store(pdfFile());
    if (!result.ok) throw new Error("not stored");
    expect(fs.statSync(path.join(dir, result.storedName)).mode & 0o777).toBe(0o600);
    expect(listDir().filter((f) => f.endsWith(".part"))).toEqual([]);
  });

  it("creates the upload directory, however deep, when it is missing", async () => {
    dir = path.join(dir, "a", "b");
    expect(fs.existsSync(dir)).toBe(false);
    expect(await store(pdfFile())).toMatchObject({ ok: true });
    expect(listDir()).toHaveLength(1);
  });

  it("uses UPLOAD_DIR from the configuration by default", async () => {
    const before = { UPLOAD_DIR: process.env.UPLOAD_DIR, SESSION_SECRET: process.env.SESSION_SECRET };
    process.env.UPLOAD_DIR = dir;
    process.env.SESSION_SECRET ??= "unit-test-secret";
    resetConfigForTests();
    try {
      const result = await storeEvidenceFile(chunked(pdfFile(), 100));
      expect(result).toMatchObject({ ok: true });
      if (result.ok) {
        expect(listDir()).toEqual([result.storedName]);
        const opened = await openEvidenceFile(result.storedName);
        expect(opened).not.toBeNull();
        opened?.stream.destroy();
        expect(await deleteEvidenceFile(result.storedName)).toBe(true);
      }
    } finally {
      for (const [k, v] of Object.entries(before)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      resetConfigForTests();
    }
  });

  it("gives names that owe nothing to the upload: the same file twice gets two random names", async () => {
    const a = await store(pdfFile());
    const b = await store(pdfFile());
    if (!a.ok || !b.ok) throw new Error("not stored");
    expect(a.storedName).not.toBe(b.storedName);
    expect(a.sha256).toBe(b.sha256);
    expect(isStoredEvidenceName(a.storedName) && isStoredEvidenceName(b.storedName)).toBe(true);
    expect(listDir().sort()).toEqual([a.storedName, b.storedName].sort());
  });
});

describe("storeEvidenceFile: refusals leave nothing behind", () => {
  afterEach(() => {
    expect(listDir()).toEqual([]);
  });

  const hostile: Record<string, () => Uint8Array> = {
    "an HTML page named .pdf": htmlNamedPdf,
    "an SVG image": svgFile,
    "a GIF image": gifFile,
    "a ZIP archive": zipFile,
    "plain text": () => ascii("just some text, not a document"),
    "an AVIF image": () => heifFile("avif"),
    "a PDF signature not at the start": () => concat([ascii(" "), pdfFile()]),
    "bytes that only start like a JPEG": () => concat([Uint8Array.of(0xff, 0xd8, 0xff), htmlNamedPdf()]),
    "a JPEG cut before its image data": () => jpegParts().file.subarray(0, 30),
    "a PNG cut short": () => pngParts().file.subarray(0, 40),
    "three bytes of a JPEG": () => Uint8Array.of(0xff, 0xd8, 0xff),
    "one byte": () => Uint8Array.of(0x25),
  };

  for (const [what, make] of Object.entries(hostile)) {
    it(`refuses ${what} with 415`, async () => {
      expect(await store(make(), 2)).toEqual({ ok: false, reason: "unsupported_type", status: 415 });
    });
  }

  it("refuses an empty file with 400", async () => {
    expect(await store(new Uint8Array(0))).toEqual({ ok: false, reason: "empty", status: 400 });
    async function* emptyChunks() {
      yield new Uint8Array(0);
      yield new Uint8Array(0);
    }
    expect(await storeEvidenceFile(emptyChunks(), { uploadDir: dir })).toEqual({ ok: false, reason: "empty", status: 400 });
  });

  it("refuses 10 MB + 1 byte with 413, and stops reading there", async () => {
    const chunk = 64 * 1024;
    let pulled = 0;
    let closed = false;
    async function* oversized() {
      try {
        const first = new Uint8Array(chunk);
        first.set(pdfFile().subarray(0, 16));
        for (let sent = 0; sent < 20 * MB; sent += chunk) {
          pulled++;
          yield sent === 0 ? first : new Uint8Array(chunk);
        }
      } finally {
        closed = true;
      }
    }
    // 10 MB is 160 chunks of 64 KiB; a tail byte past it is still too much.
    const exactlyOver = concat([pdfFile(), new Uint8Array(10 * MB + 1 - pdfFile().length)]);
    expect(await store(exactlyOver, chunk)).toEqual({ ok: false, reason: "too_large", status: 413 });
    expect(await storeEvidenceFile(oversized(), { uploadDir: dir })).toEqual({ ok: false, reason: "too_large", status: 413 });
    expect(pulled).toBe(10 * MB / chunk + 1);
    expect(closed).toBe(true);
  });

  it("respects a smaller limit", async () => {
    expect(await store(pdfFile(), 10, 100)).toMatchObject({ ok: false, status: 413 });
  });

  it("removes the partial file when the upload breaks off, and passes the error on", async () => {
    async function* broken() {
      yield pdfFile();
      yield new Uint8Array(300 * 1024);
      throw new Error("client went away");
    }
    await expect(storeEvidenceFile(broken(), { uploadDir: dir })).rejects.toThrow("client went away");
  });
});

describe("storeEvidenceFile: big files are streamed", () => {
  /** A JPEG of exactly `total` bytes whose image data has no FF byte, fed from one reused buffer. */
  async function* bigJpeg(total: number, chunk: number, onChunk: () => void) {
    const { soi, kept } = jpegParts([segment(0xe1, exifWithGps(1))]);
    const [app0, dqt, sof0, dhtDc, dhtAc, sos] = kept;
    const header = concat([soi, app0, segment(0xe1, exifWithGps(1)), dqt, sof0, dhtDc, dhtAc, sos]);
    const eoi = Uint8Array.of(0xff, 0xd9);
    const buffer = new Uint8Array(chunk);
    let at = 0;
    while (at < total) {
      const size = Math.min(chunk, total - at);
      for (let i = 0; i < size; i++) {
        const pos = at + i;
        // Reusing the buffer checks the store copies what it keeps before asking for more.
        buffer[i] = pos < header.length ? header[pos] : pos >= total - 2 ? eoi[pos - (total - 2)] : (pos * 7) % 251;
      }
      onChunk();
      yield buffer.subarray(0, size);
      at += size;
    }
  }

  function expectedSha(total: number): { sha: string; exifLength: number } {
    const hash = crypto.createHash("sha256");
    const { soi, kept } = jpegParts();
    const [app0, dqt, sof0, dhtDc, dhtAc, sos] = kept;
    const exifLength = segment(0xe1, exifWithGps(1)).length;
    const stored = concat([soi, app0, dqt, sof0, dhtDc, dhtAc, sos]);
    hash.update(stored);
    const headerLength = stored.length + exifLength;
    const body = Buffer.alloc(total - 2 - headerLength);
    for (let i = 0; i < body.length; i++) body[i] = ((headerLength + i) * 7) % 251;
    hash.update(body);
    hash.update(Uint8Array.of(0xff, 0xd9));
    return { sha: hash.digest("hex"), exifLength };
  }

  it("accepts exactly 10 MB fed in 1 KiB chunks, with flat memory, and strips it on the way", async () => {
    const total = 10 * MB;
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const started = performance.now();
    const result = await storeEvidenceFile(
      bigJpeg(total, 1024, () => {
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
      }),
      { uploadDir: dir },
    );
    const elapsed = performance.now() - started;
    const { sha, exifLength } = expectedSha(total);
    expect(result).toMatchObject({ ok: true, format: "jpeg", size: total - exifLength, sha256: sha });
    if (result.ok) expect(fs.statSync(path.join(dir, result.storedName)).size).toBe(total - exifLength);
    // Holding the file would add 10 MB; streaming holds one write batch.
    expect(peak).toBeLessThan(3 * MB);
    // Loose: the benchmark measures this properly; here it only catches a quadratic slip.
    expect(elapsed).toBeLessThan(10_000);
  });
});

describe("openEvidenceFile", () => {
  it("opens a stored file as a stream with its size and format", async () => {
    const pdf = pdfFile();
    const result = await store(pdf);
    if (!result.ok) throw new Error("not stored");
    const opened = await openEvidenceFile(result.storedName, { uploadDir: dir });
    expect(opened).toMatchObject({ size: pdf.length, format: "pdf" });
    const parts: Buffer[] = [];
    for await (const part of opened!.stream) parts.push(part as Buffer);
    expect(Uint8Array.from(Buffer.concat(parts))).toEqual(pdf);
  });

  it("returns null for any name that is not exactly one of ours", async () => {
    fs.mkdirSync(dir, { recursive: true });
    const outside = path.join(path.dirname(dir), "secret.pdf");
    fs.writeFileSync(outside, "secret");
    const names = [
      "../etc/passwd",
      "/etc/passwd",
      "../secret.pdf",
      "..%2Fsecret.pdf",
      "secret.pdf",
      "",
      "0123456789abcdef0123456789abcdef.exe",
      "0123456789ABCDEF0123456789ABCDEF.pdf",
      "0123456789abcdef0123456789abcdef.pdf/../../secret.pdf",
      "0123456789abcdef0123456789abcdef.pdf\0",
      ".upload-0123456789abcdef0123456789abcdef.part",
    ];
    for (const name of names) expect(await openEvidenceFile(name, { uploadDir: dir }), name).toBeNull();
  });

  it("returns null for a well-formed name with no file, a directory or a link", async () => {
    fs.mkdirSync(dir, { recursive: true });
    expect(await openEvidenceFile("0123456789abcdef0123456789abcdef.pdf", { uploadDir: dir })).toBeNull();
    fs.mkdirSync(path.join(dir, "11111111111111111111111111111111.pdf"));
    expect(await openEvidenceFile("11111111111111111111111111111111.pdf", { uploadDir: dir })).toBeNull();
    fs.symlinkSync("/etc/passwd", path.join(dir, "22222222222222222222222222222222.pdf"));
    expect(await openEvidenceFile("22222222222222222222222222222222.pdf", { uploadDir: dir })).toBeNull();
  });
});

describe("deleteEvidenceFile", () => {
  it("removes a stored file once", async () => {
    const result = await store(pdfFile());
    if (!result.ok) throw new Error("not stored");
    expect(await deleteEvidenceFile(result.storedName, { uploadDir: dir })).toBe(true);
    expect(listDir()).toEqual([]);
    expect(await deleteEvidenceFile(result.storedName, { uploadDir: dir })).toBe(false);
  });

  it("touches nothing for a name that is not one of ours", async () => {
    fs.mkdirSync(dir, { recursive: true });
    const outside = path.join(path.dirname(dir), "keep.pdf");
    fs.writeFileSync(outside, "keep");
    expect(await deleteEvidenceFile("../keep.pdf", { uploadDir: dir })).toBe(false);
    expect(fs.existsSync(outside)).toBe(true);
  });
});
