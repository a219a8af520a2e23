// Small but real files built byte by byte for the evidence tests: a JPEG
// whose Exif carries GPS, a PNG with text and Exif chunks, a PDF and a HEIC
// header, plus hostile look-alikes. Builders return their parts so a test can
// say exactly which bytes must survive.
import zlib from "node:zlib";

export const ascii = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "latin1"));

export function concat(parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack).indexOf(Buffer.from(needle));
}

// ---------------------------------------------------------------- JPEG

/** One JPEG segment: FF code, length (counting itself), payload. */
export function segment(code: number, payload: Uint8Array): Uint8Array {
  const length = payload.length + 2;
  return concat([Uint8Array.of(0xff, code, length >> 8, length & 0xff), payload]);
}

/** A little-endian TIFF writer, just enough for IFDs of SHORT, LONG, ASCII and RATIONAL entries. */
type Entry = { tag: number; type: 2 | 3 | 4 | 5; values: number[] | string };

function tiffIfds(ifd0: Entry[], gps: Entry[]): Uint8Array {
  // Layout: header (8) | IFD0 | IFD0 data | GPS IFD | GPS data.
  const out: number[] = [];
  const u16 = (v: number) => out.push(v & 0xff, (v >> 8) & 0xff);
  const u32 = (v: number) => out.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
  out.push(0x49, 0x49);
  u16(42);
  u32(8);
  const sizeOf = (e: Entry) => (e.type === 2 ? (e.values as string).length + 1 : e.type === 3 ? 2 * e.values.length : e.type === 4 ? 4 * e.values.length : 8 * e.values.length);
  const writeIfd = (entries: Entry[], start: number, next: number) => {
    let data = start + 2 + 12 * entries.length + 4;
    const blobs: number[] = [];
    u16(entries.length);
    for (const e of entries) {
      u16(e.tag);
      u16(e.type);
      u32(e.type === 2 ? (e.values as string).length + 1 : e.values.length);
      const bytes: number[] = [];
      if (e.type === 2) bytes.push(...Buffer.from(`${e.values as string}\0`, "latin1"));
      else
        for (const v of e.values as number[]) {
          if (e.type === 3) bytes.push(v & 0xff, (v >> 8) & 0xff);
          else if (e.type === 4) bytes.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
          else bytes.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff, 100, 0, 0, 0); // v/100
        }
      if (sizeOf(e) <= 4) {
        while (bytes.length < 4) bytes.push(0);
        out.push(...bytes);
      } else {
        u32(data);
        blobs.push(...bytes);
        data += bytes.length;
      }
    }
    u32(next);
    out.push(...blobs);
  };
  const ifd0Size = 2 + 12 * (ifd0.length + 1) + 4 + ifd0.filter((e) => sizeOf(e) > 4).reduce((n, e) => n + sizeOf(e), 0);
  const gpsAt = 8 + ifd0Size;
  writeIfd([...ifd0, { tag: 0x8825, type: 4, values: [gpsAt] } as Entry].sort((a, b) => a.tag - b.tag), 8, 0);
  writeIfd(gps, gpsAt, 0);
  return Uint8Array.from(out);
}

/** Latitude 39°54'27.12"N, longitude 116°23'29.10"E, as Exif rationals (hundredths). */
export const GPS_LATITUDE = [3900, 5400, 2712];
export const GPS_LONGITUDE = [11600, 2300, 2910];

/** The rational bytes of the latitude as they sit in the Exif: if any copy survives, the location leaked. */
export function latitudeBytes(): Uint8Array {
  const out: number[] = [];
  for (const v of GPS_LATITUDE) out.push(v & 0xff, (v >> 8) & 0xff, 0, 0, 100, 0, 0, 0);
  return Uint8Array.from(out);
}

export function exifWithGps(orientation = 6): Uint8Array {
  const tiff = tiffIfds(
    [
      { tag: 0x010f, type: 2, values: "SecretPhoneMaker" },
      { tag: 0x0112, type: 3, values: [orientation] },
    ],
    [
      { tag: 0x0001, type: 2, values: "N" },
      { tag: 0x0002, type: 5, values: GPS_LATITUDE },
      { tag: 0x0003, type: 2, values: "E" },
      { tag: 0x0004, type: 5, values: GPS_LONGITUDE },
    ],
  );
  return concat([ascii("Exif\0\0"), tiff]);
}

/**
 * A real 8×8 grey baseline JPEG: one quantisation table, one component, two
 * one-code Huffman tables (DC difference 0, end of block), and a single byte
 * of image data. `extra` segments go right after SOI, as a camera puts them.
 */
export function jpegParts(extra: Uint8Array[] = []) {
  const soi = Uint8Array.of(0xff, 0xd8);
  const app0 = segment(0xe0, concat([ascii("JFIF\0"), Uint8Array.of(1, 1, 0, 0, 1, 0, 1, 0, 0)]));
  const dqt = segment(0xdb, concat([Uint8Array.of(0x00), new Uint8Array(64).fill(1)]));
  const sof0 = segment(0xc0, Uint8Array.of(8, 0, 8, 0, 8, 1, 1, 0x11, 0));
  const counts = (n1: number) => Uint8Array.of(n1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  const dhtDc = segment(0xc4, concat([Uint8Array.of(0x00), counts(1), Uint8Array.of(0x00)]));
  const dhtAc = segment(0xc4, concat([Uint8Array.of(0x10), counts(1), Uint8Array.of(0x00)]));
  const sos = segment(0xda, Uint8Array.of(1, 1, 0x00, 0, 63, 0));
  // Bits "0" (DC difference 0) and "0" (end of block), padded with ones.
  const scan = Uint8Array.of(0x3f);
  const eoi = Uint8Array.of(0xff, 0xd9);
  const kept = [app0, dqt, sof0, dhtDc, dhtAc, sos, scan, eoi];
  return { soi, extra, kept, file: concat([soi, app0, ...extra, dqt, sof0, dhtDc, dhtAc, sos, scan, eoi]) };
}

export const xmpApp1 = () => segment(0xe1, ascii('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description exif:GPSLatitude="39,54.45N"/></x:xmpmeta>'));
export const photoshopApp13 = () => segment(0xed, ascii("Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x0cCity=Beijing"));
export const comment = () => segment(0xfe, ascii("Taken at 12 Secret Street"));

// ---------------------------------------------------------------- PNG

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(concat([ascii(type), data])), 0);
  return concat([head, data, crc]);
}

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** A real 2×2 grey PNG; `before` chunks go between IHDR and IDAT, `after` between IDAT and IEND. */
export function pngParts(before: Uint8Array[] = [], after: Uint8Array[] = []) {
  const ihdr = pngChunk("IHDR", Uint8Array.of(0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 0));
  const idat = pngChunk("IDAT", Uint8Array.from(zlib.deflateSync(Buffer.from([0, 0x40, 0x80, 0, 0xc0, 0xff]))));
  const iend = pngChunk("IEND", new Uint8Array(0));
  return { file: concat([PNG_SIGNATURE, ihdr, ...before, idat, ...after, iend]), clean: concat([PNG_SIGNATURE, ihdr, idat, iend]) };
}

/** Every chunk of a PNG with whether its CRC matches. */
export function readPngChunks(png: Uint8Array): { type: string; crcOk: boolean }[] {
  const buf = Buffer.from(png);
  const chunks: { type: string; crcOk: boolean }[] = [];
  let at = 8;
  while (at < buf.length) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString("latin1", at + 4, at + 8);
    const crc = buf.readUInt32BE(at + 8 + length);
    chunks.push({ type, crcOk: crc === crc32(png.subarray(at + 4, at + 8 + length)) });
    at += 12 + length;
  }
  return chunks;
}

export const pngText = () => pngChunk("tEXt", ascii("Comment\0Taken at 12 Secret Street"));
export const pngExif = () => pngChunk("eXIf", exifWithGps().subarray(6));
export const pngITxt = () => pngChunk("iTXt", ascii("XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>GPSLatitude 39,54.45N</x:xmpmeta>"));
export const pngZTxt = () => pngChunk("zTXt", concat([ascii("Author\0\0"), Uint8Array.from(zlib.deflateSync(Buffer.from("Secret Author")))]));
export const pngTime = () => pngChunk("tIME", Uint8Array.of(0x07, 0xe9, 6, 1, 12, 0, 0));
export const pngGamma = () => pngChunk("gAMA", Uint8Array.of(0, 0, 0xb1, 0x8f));

// ---------------------------------------------------------------- others

export function pdfFile(): Uint8Array {
  return ascii(
    [
      "%PDF-1.4",
      "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
      "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj",
      "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >> endobj",
      "trailer << /Root 1 0 R >>",
      "%%EOF",
      "",
    ].join("\n"),
  );
}

const u16 = (n: number) => Uint8Array.of(n >> 8, n & 255);
const u32 = (n: number) => Uint8Array.of((n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255);
export const isoBox = (type: string, ...content: Uint8Array[]) => {
  const body = concat(content);
  return concat([u32(8 + body.length), ascii(type), body]);
};
const fullBox = (type: string, version: number, ...content: Uint8Array[]) => isoBox(type, Uint8Array.of(version, 0, 0, 0), ...content);

/** The stand-in for a HEIC's coded picture: must survive storage untouched. */
export const HEIF_IMAGE_BYTES = ascii("HEVC-CODED-PICTURE-BYTES-0123456789");
/** The XMP packet of heifFile, stored in its idat box. */
export const HEIF_XMP = ascii('<x:xmpmeta><rdf:Description exif:GPSLatitude="39,54.45N"/></x:xmpmeta>');

/**
 * A small HEIF file laid out like a phone's photo: ftyp, then meta (hdlr,
 * iinf with a picture, an Exif item and an XMP "mime" item, iloc, idat), then
 * mdat holding the picture and the Exif (with GPS). The XMP lives in idat
 * (iloc construction method 1); the others at file offsets (method 0).
 */
export function heifFile(brand = "heic"): Uint8Array {
  const ftyp = concat([Uint8Array.of(0, 0, 0, 0x18), ascii("ftyp"), ascii(brand), Uint8Array.of(0, 0, 0, 0), ascii("mif1"), ascii("heic")]);
  const exifItem = concat([u32(0), exifWithGps().subarray(6)]); // tiff header offset, then the TIFF
  const infe = (id: number, type: string, contentType?: string) =>
    fullBox("infe", 2, u16(id), u16(0), ascii(type), ascii("\0"), ...(contentType ? [ascii(`${contentType}\0`)] : []));
  const meta = (imageAt: number, exifAt: number) =>
    fullBox(
      "meta",
      0,
      fullBox("hdlr", 0, u32(0), ascii("pict"), new Uint8Array(12), ascii("\0")),
      fullBox("iinf", 0, u16(3), infe(1, "hvc1"), infe(2, "Exif"), infe(3, "mime", "application/rdf+xml")),
      fullBox(
        "iloc",
        1,
        Uint8Array.of(0x44, 0x00), // 4-byte offsets and lengths, no base offset, no index
        u16(3),
        concat([u16(1), u16(0), u16(0), u16(1), u32(imageAt), u32(HEIF_IMAGE_BYTES.length)]),
        concat([u16(2), u16(0), u16(0), u16(1), u32(exifAt), u32(exifItem.length)]),
        concat([u16(3), u16(1), u16(0), u16(1), u32(0), u32(HEIF_XMP.length)]),
      ),
      isoBox("idat", HEIF_XMP),
    );
  // The meta box's size does not depend on the offsets written in it.
  const mdatStart = ftyp.length + meta(0, 0).length;
  const imageAt = mdatStart + 8;
  const exifAt = imageAt + HEIF_IMAGE_BYTES.length;
  return concat([ftyp, meta(imageAt, exifAt), isoBox("mdat", HEIF_IMAGE_BYTES, exifItem)]);
}

export const htmlNamedPdf = () => ascii("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>");
export const svgFile = () => ascii('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
export const gifFile = () => concat([ascii("GIF89a"), Uint8Array.of(1, 0, 1, 0, 0, 0, 0, 0x3b)]);
export const zipFile = () => concat([Uint8Array.of(0x50, 0x4b, 0x03, 0x04), new Uint8Array(26)]);

/** Feeds `bytes` as an async stream of chunks of `size` bytes (the last may be shorter). */
export async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Runs a stripper over `bytes` split at the given sizes and returns the joined output. */
export function runStripper(stripper: { push(c: Uint8Array): Uint8Array[]; end(): Uint8Array[] }, bytes: Uint8Array, size = bytes.length): Uint8Array {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += Math.max(1, size)) out.push(...stripper.push(bytes.subarray(at, at + Math.max(1, size))));
  out.push(...stripper.end());
  return concat(out);
}
