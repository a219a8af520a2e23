// Removes text and metadata chunks from a PNG while copying it: eXIf (Exif,
// which can hold GPS), tEXt, iTXt and zTXt (free text, XMP) and tIME. Every
// other chunk is copied byte for byte, so its CRC stays valid. Bytes after
// IEND are dropped.
//
// A PNG is an 8-byte signature and then chunks: length (4 bytes, big-endian),
// type (4 ASCII letters), data, CRC (4 bytes). IHDR comes first, IEND last.

import { MalformedFileError, type MetadataStripper } from "./stripper";

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const DROPPED = new Set(["eXIf", "tEXt", "iTXt", "zTXt", "tIME"]);
const MAX_CHUNK_LENGTH = 0x7fffffff;

type State = "signature" | "header" | "body" | "done";

export function stripPngMetadata(): MetadataStripper {
  let state: State = "signature";
  const held = new Uint8Array(8);
  let heldLength = 0;
  let remaining = 0;
  let keep = true;
  let chunks = 0;
  // IEND seen: once its CRC is copied, the image is complete.
  let ended = false;

  const bad = (why: string): never => {
    throw new MalformedFileError(`Not a well-formed PNG: ${why}`);
  };

  function startChunk(out: Uint8Array[]): void {
    const length = ((held[0] << 24) >>> 0) + (held[1] << 16) + (held[2] << 8) + held[3];
    if (length > MAX_CHUNK_LENGTH) bad("chunk too long");
    const typeBytes = held.subarray(4, 8);
    if (!typeBytes.every((b) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a))) bad("chunk type is not 4 letters");
    const type = String.fromCharCode(...typeBytes);
    if (chunks === 0 && type !== "IHDR") bad("IHDR is not first");
    chunks++;
    keep = !DROPPED.has(type);
    if (keep) out.push(held.slice());
    remaining = length + 4; // data and CRC
    ended = type === "IEND";
    state = "body";
  }

  return {
    push(chunk) {
      const out: Uint8Array[] = [];
      const n = chunk.length;
      let i = 0;
      while (i < n) {
        switch (state) {
          case "signature":
          case "header": {
            const take = Math.min(8 - heldLength, n - i);
            held.set(chunk.subarray(i, i + take), heldLength);
            heldLength += take;
            i += take;
            if (heldLength < 8) break;
            heldLength = 0;
            if (state === "signature") {
              if (!SIGNATURE.every((b, k) => held[k] === b)) bad("no PNG signature");
              out.push(held.slice());
              state = "header";
            } else {
              startChunk(out);
            }
            break;
          }
          case "body": {
            const take = Math.min(remaining, n - i);
            if (keep) out.push(chunk.subarray(i, i + take));
            i += take;
            remaining -= take;
            if (remaining === 0) state = ended ? "done" : "header";
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
      if (state !== "done") bad("the file stops before IEND");
      return [];
    },
  };
}
