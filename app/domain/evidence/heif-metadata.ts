// Finds the bytes of a HEIC/HEIF photo's metadata items (Exif, which can hold
// the GPS position, and XMP) so that storage can overwrite them with zeros.
// Overwriting in place keeps every offset and length in the file valid, so
// the picture itself is untouched and no HEIF writer is needed.
//
// HEIF (ISO/IEC 23008-12) is a sequence of ISO base media boxes: size (4
// bytes, big-endian; 1 = a 64-bit size follows the type, 0 = to the end of
// the file), type (4 characters), content. The top-level `meta` box lists the
// items (`iinf`: id and type, `Exif` or `mime` with a content type) and where
// their bytes are (`iloc`: extents, as file offsets or inside `idat`).
// Anything that does not follow the structure is a MalformedFileError: the
// upload is refused rather than stored with metadata we could not find.

import { MalformedFileError } from "./stripper";

/** Random access to the stored file (or a buffer in tests). */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Uint8Array;
}

export interface ByteRange {
  offset: number;
  length: number;
}

interface Box {
  type: string;
  /** where the box starts */
  start: number;
  /** where its content starts (after size, type and any 64-bit size) */
  contentStart: number;
  end: number;
}

/** XMP packets are stored as `mime` items with this content type. */
const XMP_CONTENT_TYPE = "application/rdf+xml";
/** A meta box bigger than this is not a photo's: refuse rather than read it all. */
const MAX_META_BYTES = 4 * 1024 * 1024;

const bad = (why: string): never => {
  throw new MalformedFileError(`Not a well-formed HEIF file: ${why}`);
};

class Reader {
  at: number;
  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
  ) {
    this.at = start;
  }
  private need(n: number): void {
    if (this.at + n > this.bytes.length) bad("a box ends early");
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.at++];
  }
  u16(): number {
    return this.uint(2);
  }
  u32(): number {
    return this.uint(4);
  }
  /** An unsigned integer of n bytes (0, 4 or 8 in iloc; 2 or 4 elsewhere). */
  uint(n: number): number {
    this.need(n);
    let value = 0;
    for (let i = 0; i < n; i++) value = value * 256 + this.bytes[this.at++];
    if (!Number.isSafeInteger(value)) bad("a number is too large");
    return value;
  }
  fourCC(): string {
    this.need(4);
    const text = String.fromCharCode(...this.bytes.subarray(this.at, this.at + 4));
    this.at += 4;
    return text;
  }
  /** A NUL-terminated UTF-8 string (ASCII is enough for the fields we read). */
  cString(limit: number): string {
    const from = this.at;
    while (this.at < limit && this.bytes[this.at] !== 0) this.at++;
    const text = String.fromCharCode(...this.bytes.subarray(from, this.at));
    if (this.at < limit) this.at++; // the NUL
    return text;
  }
}

/** The boxes laid one after another in bytes[from, to). */
function boxesIn(bytes: Uint8Array, from: number, to: number, base = 0): Box[] {
  const boxes: Box[] = [];
  let at = from;
  while (at < to) {
    if (to - at < 8) bad("a box header is cut short");
    const r = new Reader(bytes, at);
    let size = r.u32();
    const type = r.fourCC();
    if (size === 1) size = r.uint(8);
    else if (size === 0) size = to - at;
    const contentStart = r.at;
    if (size < contentStart - at || at + size > to) bad(`the ${JSON.stringify(type)} box has a wrong size`);
    boxes.push({ type, start: base + at, contentStart: base + contentStart, end: base + at + size });
    at += size;
  }
  return boxes;
}

/** The top-level boxes, read header by header (a photo's mdat is not read). */
function topLevelBoxes(file: ByteSource): Box[] {
  const boxes: Box[] = [];
  let at = 0;
  while (at < file.size) {
    if (file.size - at < 8) bad("a box header is cut short");
    const header = file.read(at, Math.min(16, file.size - at));
    const r = new Reader(header);
    let size = r.u32();
    const type = r.fourCC();
    if (size === 1) size = r.uint(8);
    else if (size === 0) size = file.size - at;
    if (size < r.at || at + size > file.size) bad(`the ${JSON.stringify(type)} box has a wrong size`);
    boxes.push({ type, start: at, contentStart: at + r.at, end: at + size });
    at += size;
  }
  return boxes;
}

interface ItemInfo {
  id: number;
  type: string;
  contentType: string;
}

function readItemInfos(bytes: Uint8Array, box: Box, base: number): ItemInfo[] {
  const r = new Reader(bytes, box.contentStart - base);
  const version = r.u8();
  r.uint(3); // flags
  const count = version === 0 ? r.u16() : r.u32();
  const entries = boxesIn(bytes, r.at, box.end - base, base).filter((b) => b.type === "infe");
  if (entries.length < count) bad("iinf lists more items than it holds");
  const items: ItemInfo[] = [];
  for (const entry of entries) {
    const e = new Reader(bytes, entry.contentStart - base);
    const limit = entry.end - base;
    const v = e.u8();
    e.uint(3);
    if (v < 2) {
      // versions 0 and 1: id, protection, name, content type (no item type)
      const id = e.u16();
      e.u16();
      e.cString(limit);
      items.push({ id, type: "", contentType: e.cString(limit) });
      continue;
    }
    const id = v === 2 ? e.u16() : e.u32();
    e.u16(); // protection index
    const type = e.fourCC();
    let contentType = "";
    if (type === "mime") {
      e.cString(limit); // item name
      contentType = e.cString(limit);
    }
    items.push({ id, type, contentType });
  }
  return items;
}

interface ItemLocation {
  id: number;
  /** 0: offsets in the file, 1: offsets in idat, 2: another item (nothing to clear) */
  method: number;
  extents: ByteRange[];
}

function readItemLocations(bytes: Uint8Array, box: Box, base: number): ItemLocation[] {
  const r = new Reader(bytes, box.contentStart - base);
  const version = r.u8();
  r.uint(3);
  if (version > 2) bad("unknown iloc version");
  const sizes = r.u8();
  const offsetSize = sizes >> 4;
  const lengthSize = sizes & 15;
  const more = r.u8();
  const baseOffsetSize = more >> 4;
  const indexSize = version === 1 || version === 2 ? more & 15 : 0;
  for (const n of [offsetSize, lengthSize, baseOffsetSize, indexSize]) if (![0, 4, 8].includes(n)) bad("iloc field sizes");
  const count = version < 2 ? r.u16() : r.u32();
  const locations: ItemLocation[] = [];
  for (let i = 0; i < count; i++) {
    const id = version < 2 ? r.u16() : r.u32();
    const method = version === 1 || version === 2 ? r.u16() & 15 : 0;
    r.u16(); // data reference index
    const baseOffset = r.uint(baseOffsetSize);
    const extentCount = r.u16();
    const extents: ByteRange[] = [];
    for (let k = 0; k < extentCount; k++) {
      if (indexSize > 0) r.uint(indexSize);
      const offset = baseOffset + r.uint(offsetSize);
      const length = r.uint(lengthSize);
      extents.push({ offset, length });
    }
    locations.push({ id, method, extents });
  }
  return locations;
}

/**
 * The byte ranges of the file holding Exif and XMP items, to be overwritten.
 * Empty when the file has none. Throws MalformedFileError when the boxes do
 * not add up (the caller refuses the upload).
 */
export function heifMetadataRanges(file: ByteSource): ByteRange[] {
  const top = topLevelBoxes(file);
  if (top[0]?.type !== "ftyp") bad("ftyp is not first");
  const meta = top.find((b) => b.type === "meta");
  if (!meta) return [];
  if (meta.end - meta.start > MAX_META_BYTES) bad("the meta box is too large");
  const base = meta.start;
  const bytes = file.read(meta.start, meta.end - meta.start);
  // meta is a full box: version and flags before its children
  const children = boxesIn(bytes, meta.contentStart - base + 4, meta.end - base, base);
  const iinf = children.find((b) => b.type === "iinf");
  const iloc = children.find((b) => b.type === "iloc");
  if (!iinf || !iloc) return [];
  const idat = children.find((b) => b.type === "idat");

  const wanted = new Set(
    readItemInfos(bytes, iinf, base)
      .filter((item) => item.type === "Exif" || item.contentType.toLowerCase() === XMP_CONTENT_TYPE)
      .map((item) => item.id),
  );
  if (wanted.size === 0) return [];

  const ranges: ByteRange[] = [];
  for (const location of readItemLocations(bytes, iloc, base)) {
    if (!wanted.has(location.id) || location.method === 2) continue;
    for (const extent of location.extents) {
      let { offset, length } = extent;
      if (location.method === 1) {
        if (!idat) bad("an item lives in idat but there is none");
        const idatBox = idat as Box;
        offset += idatBox.contentStart;
        if (length === 0) length = idatBox.end - offset;
        if (offset + length > idatBox.end) bad("an item runs past idat");
      } else if (length === 0) {
        length = file.size - offset;
      }
      if (offset < 0 || offset + length > file.size) bad("an item runs past the end of the file");
      if (length > 0) ranges.push({ offset, length });
    }
  }
  return ranges;
}
