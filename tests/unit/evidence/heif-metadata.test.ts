// Finding a HEIF photo's Exif and XMP items through its boxes
// (app/domain/evidence/heif-metadata.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { heifMetadataRanges, type ByteSource } from "~/domain/evidence/heif-metadata";
import { MalformedFileError } from "~/domain/evidence/stripper";
import { ascii, concat, HEIF_IMAGE_BYTES, HEIF_XMP, heifFile, indexOfBytes, isoBox } from "./sample-files";

const source = (bytes: Uint8Array): ByteSource => ({ size: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length) });
const u16 = (n: number) => Uint8Array.of(n >> 8, n & 255);
const u32 = (n: number) => Uint8Array.of((n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255);
const fullBox = (type: string, version: number, ...content: Uint8Array[]) => isoBox(type, Uint8Array.of(version, 0, 0, 0), ...content);
const FTYP = concat([u32(0x18), ascii("ftyp"), ascii("heic"), u32(0), ascii("mif1"), ascii("heic")]);

describe("heifMetadataRanges", () => {
  it("finds the Exif item in mdat and the XMP item in idat, and not the picture", () => {
    const file = heifFile();
    const ranges = heifMetadataRanges(source(file));
    expect(ranges).toHaveLength(2);
    const xmpAt = indexOfBytes(file, HEIF_XMP);
    expect(ranges).toContainEqual({ offset: xmpAt, length: HEIF_XMP.length });
    const imageAt = indexOfBytes(file, HEIF_IMAGE_BYTES);
    const exif = ranges.find((r) => r.offset !== xmpAt)!;
    expect(exif.offset).toBe(imageAt + HEIF_IMAGE_BYTES.length);
    expect(exif.offset + exif.length).toBe(file.length);
  });

  it("reads version 0 item entries (XMP by content type), iloc version 2 with 8-byte offsets, and a 64-bit box size", () => {
    const exif = ascii("\0\0\0\0MM\0*GPS-SECRET");
    const infe0 = fullBox("infe", 0, u16(7), u16(0), ascii("xmp\0"), ascii("application/rdf+xml\0"));
    const infe3 = fullBox("infe", 3, u32(9), u16(0), ascii("Exif"), ascii("\0"));
    const meta = (xmpAt: number, exifAt: number) =>
      fullBox(
        "meta",
        0,
        fullBox("iinf", 1, u32(2), infe0, infe3),
        fullBox(
          "iloc",
          2,
          Uint8Array.of(0x88, 0x00),
          u32(2),
          concat([u32(7), u16(0), u16(0), u16(1), new Uint8Array(4), u32(xmpAt), new Uint8Array(4), u32(HEIF_XMP.length)]),
          concat([u32(9), u16(0), u16(0), u16(1), new Uint8Array(4), u32(exifAt), new Uint8Array(4), u32(0)]), // length 0: to the end
        ),
      );
    const metaLength = meta(0, 0).length;
    // mdat with a 64-bit size: size field 1, type, then the real size in 8 bytes
    const mdatStart = FTYP.length + metaLength;
    const payload = concat([HEIF_XMP, exif]);
    const mdat = concat([u32(1), ascii("mdat"), new Uint8Array(4), u32(16 + payload.length), payload]);
    const file = concat([FTYP, meta(mdatStart + 16, mdatStart + 16 + HEIF_XMP.length), mdat]);
    expect(heifMetadataRanges(source(file))).toEqual([
      { offset: mdatStart + 16, length: HEIF_XMP.length },
      { offset: mdatStart + 16 + HEIF_XMP.length, length: exif.length },
    ]);
  });

  it("finds nothing to clear in a file without meta, or without metadata items", () => {
    expect(heifMetadataRanges(source(concat([FTYP, isoBox("mdat", HEIF_IMAGE_BYTES)])))).toEqual([]);
    const onlyPicture = fullBox("meta", 0, fullBox("iinf", 0, u16(1), fullBox("infe", 2, u16(1), u16(0), ascii("hvc1"), ascii("\0"))), fullBox("iloc", 1, Uint8Array.of(0x44, 0), u16(0)));
    expect(heifMetadataRanges(source(concat([FTYP, onlyPicture])))).toEqual([]);
  });

  it("refuses boxes that do not add up", () => {
    const file = heifFile();
    const cases: Array<[string, Uint8Array]> = [
      ["a meta box longer than the file", (() => { const b = file.slice(); b.set(u32(0x7fffffff), 0x18); return b; })()],
      ["a file cut inside a box", file.subarray(0, file.length - 5)],
      ["no ftyp first", concat([isoBox("free"), file])],
      ["an item past the end", (() => { const b = file.slice(); const at = indexOfBytes(b, concat([u16(2), u16(0), u16(0), u16(1)])); b.set(u32(0x00ffffff), at + 8); return b; })()],
    ];
    for (const [label, bytes] of cases) expect(() => heifMetadataRanges(source(bytes)), label).toThrow(MalformedFileError);
  });

  it("never fails with anything but MalformedFileError, whatever follows the ftyp box", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 0, max: 400 }), (noise, cut) => {
        const base = heifFile();
        const file = concat([base.subarray(0, FTYP.length + (cut % (base.length - FTYP.length))), noise]);
        try {
          for (const r of heifMetadataRanges(source(file))) {
            expect(r.offset).toBeGreaterThanOrEqual(0);
            expect(r.offset + r.length).toBeLessThanOrEqual(file.length);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedFileError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
