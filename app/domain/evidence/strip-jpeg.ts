// Removes what a phone camera writes about a photo, above all where it was
// taken (GPS), from a JPEG while copying it: APP1 segments (Exif and XMP),
// APP13 (Photoshop/IPTC) and COM (comments) are dropped; every other segment
// and the image data are copied byte for byte. If the dropped Exif said how
// the photo is turned (Orientation), a tiny Exif with only that tag takes its
// place, so a portrait photo of an ID card is not shown on its side.
// Bytes after the end-of-image marker (appended previews, motion-photo video,
// vendor trailers, which can carry location too) are dropped.
//
// A JPEG is a list of segments: FF <code> [length (2 bytes, counting itself)
// payload]. After the start-of-scan segment (FF DA) comes entropy-coded image
// data in which FF is always followed by 00 (a stuffed byte) or D0–D7 (a
// restart marker); any other FF xx there starts the next segment.

import { MalformedFileError, type MetadataStripper } from "./stripper";

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP1 = 0xe1;
const APP13 = 0xed;
const COM = 0xfe;
const DROPPED = new Set([APP1, APP13, COM]);

type State = "soi0" | "soi1" | "marker" | "markerCode" | "len0" | "len1" | "payload" | "scan" | "scanFF" | "done";

/** The Orientation (1–8) in IFD0 of an Exif APP1 payload ("Exif\0\0" + TIFF), or null. */
export function exifOrientation(payload: Uint8Array): number | null {
  const t = 6;
  if (payload.length < t + 8) return null;
  if (String.fromCharCode(...payload.subarray(0, 6)) !== "Exif\0\0") return null;
  const little = payload[t] === 0x49 && payload[t + 1] === 0x49;
  const big = payload[t] === 0x4d && payload[t + 1] === 0x4d;
  if (!little && !big) return null;
  const u16 = (o: number) => (little ? payload[o] | (payload[o + 1] << 8) : (payload[o] << 8) | payload[o + 1]);
  const u32 = (o: number) => (little ? u16(o) + u16(o + 2) * 0x10000 : u16(o) * 0x10000 + u16(o + 2));
  if (u16(t + 2) !== 42) return null;
  const ifd = t + u32(t + 4);
  if (ifd + 2 > payload.length) return null;
  const count = u16(ifd);
  for (let k = 0; k < count; k++) {
    const entry = ifd + 2 + 12 * k;
    if (entry + 12 > payload.length) break;
    // Tag 0x0112 Orientation, type 3 (SHORT), count 1: the value sits in the first 2 bytes of the value field.
    if (u16(entry) === 0x0112 && u16(entry + 2) === 3) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

/** A complete APP1 segment holding an Exif with only IFD0's Orientation (big-endian TIFF). */
export function orientationSegment(orientation: number): Uint8Array {
  return Uint8Array.of(
    0xff, APP1, 0x00, 0x22,                 // marker, length 34
    0x45, 0x78, 0x69, 0x66, 0x00, 0x00,     // "Exif\0\0"
    0x4d, 0x4d, 0x00, 0x2a,                 // "MM", 42
    0x00, 0x00, 0x00, 0x08,                 // IFD0 at offset 8
    0x00, 0x01,                             // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00, // Orientation, SHORT, 1, value
    0x00, 0x00, 0x00, 0x00,                 // no next IFD
  );
}

export function stripJpegMetadata(): MetadataStripper {
  let state: State = "soi0";
  let code = 0;
  let keep = true;
  let firstLengthByte = 0;
  let remaining = 0;
  let sawScan = false;
  let orientationWritten = false;
  // The payload of a dropped APP1, held (at most 64 KB) to read its Orientation.
  let app1: Uint8Array[] | null = null;

  const bad = (why: string): never => {
    throw new MalformedFileError(`Not a well-formed JPEG: ${why}`);
  };

  function beginMarker(c: number, out: Uint8Array[]): void {
    if (c === SOI || c === 0x00) bad(`unexpected marker FF ${c.toString(16)}`);
    if (c === EOI) {
      if (!sawScan) bad("no image data before the end");
      out.push(Uint8Array.of(0xff, EOI));
      state = "done";
      return;
    }
    if ((c >= 0xd0 && c <= 0xd7) || c === 0x01) {
      // Restart markers and TEM stand alone, without a length.
      out.push(Uint8Array.of(0xff, c));
      state = sawScan ? "scan" : "marker";
      return;
    }
    code = c;
    keep = !DROPPED.has(c);
    app1 = c === APP1 ? [] : null;
    if (keep) out.push(Uint8Array.of(0xff, c));
    state = "len0";
  }

  function endPayload(out: Uint8Array[]): void {
    if (app1) {
      const total = app1.reduce((n, part) => n + part.length, 0);
      const payload = new Uint8Array(total);
      let at = 0;
      for (const part of app1) {
        payload.set(part, at);
        at += part.length;
      }
      app1 = null;
      const orientation = exifOrientation(payload);
      // 1 is "as stored": nothing to say.
      if (orientation && orientation !== 1 && !orientationWritten) {
        out.push(orientationSegment(orientation));
        orientationWritten = true;
      }
    }
    if (code === SOS) {
      sawScan = true;
      state = "scan";
    } else {
      state = "marker";
    }
  }

  return {
    push(chunk) {
      const out: Uint8Array[] = [];
      const n = chunk.length;
      let i = 0;
      while (i < n) {
        switch (state) {
          case "soi0":
            if (chunk[i++] !== 0xff) bad("no start of image");
            state = "soi1";
            break;
          case "soi1":
            if (chunk[i++] !== SOI) bad("no start of image");
            out.push(Uint8Array.of(0xff, SOI));
            state = "marker";
            break;
          case "marker":
            if (chunk[i++] !== 0xff) bad("bytes between segments");
            state = "markerCode";
            break;
          case "markerCode": {
            const c = chunk[i++];
            // FF fill bytes before a marker are allowed and kept.
            if (c === 0xff) out.push(Uint8Array.of(0xff));
            else beginMarker(c, out);
            break;
          }
          case "len0":
            firstLengthByte = chunk[i++];
            state = "len1";
            break;
          case "len1": {
            const secondLengthByte = chunk[i++];
            const length = (firstLengthByte << 8) | secondLengthByte;
            if (length < 2) bad("segment length below 2");
            if (keep) out.push(Uint8Array.of(firstLengthByte, secondLengthByte));
            remaining = length - 2;
            state = "payload";
            if (remaining === 0) endPayload(out);
            break;
          }
          case "payload": {
            const take = Math.min(remaining, n - i);
            const part = chunk.subarray(i, i + take);
            if (keep) out.push(part);
            else if (app1) app1.push(part.slice());
            i += take;
            remaining -= take;
            if (remaining === 0) endPayload(out);
            break;
          }
          case "scan": {
            const ff = chunk.indexOf(0xff, i);
            if (ff < 0) {
              out.push(chunk.subarray(i));
              i = n;
            } else {
              if (ff > i) out.push(chunk.subarray(i, ff));
              i = ff + 1;
              state = "scanFF";
            }
            break;
          }
          case "scanFF": {
            const c = chunk[i++];
            if (c === 0x00 || (c >= 0xd0 && c <= 0xd7)) {
              out.push(Uint8Array.of(0xff, c));
              state = "scan";
            } else if (c === 0xff) {
              out.push(Uint8Array.of(0xff));
            } else {
              beginMarker(c, out);
            }
            break;
          }
          case "done":
            i = n;
            break;
        }
      }
      return out;
    },
    end() {
      // Decoders show a photo whose image data stops without FF D9; anything shorter is not a photo.
      if (state === "done" || state === "scan" || state === "scanFF") return [];
      return bad("the file stops before the image data");
    },
  };
}
