// Recognises an uploaded file from its first bytes ("magic numbers"), whatever
// its name or declared type says: an HTML page named .pdf, an SVG (which can
// carry scripts), a GIF, a ZIP or plain text are none of ours.

import type { EvidenceFormat } from "./types";

/** How many leading bytes detectEvidenceFormat needs to decide (HEIC's ftyp box is the longest). */
export const FORMAT_SNIFF_BYTES = 12;

// ISO base media "ftyp" major brands of HEIF still images and sequences (HEVC
// or other codecs). AVIF ("avif") and video brands are not accepted.
const HEIF_BRANDS = new Set(["heic", "heix", "hevc", "hevx", "mif1", "msf1", "heim", "heis"]);

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const PDF = ascii("%PDF-");
const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const FTYP = ascii("ftyp");

/** The format of a file starting with `head` (at least FORMAT_SNIFF_BYTES of it when the file is that long), or null. */
export function detectEvidenceFormat(head: Uint8Array): EvidenceFormat | null {
  if (startsWith(head, PDF)) return "pdf";
  if (startsWith(head, JPEG)) return "jpeg";
  if (startsWith(head, PNG)) return "png";
  if (startsWith(head, FTYP, 4) && head.length >= 12) {
    const brand = String.fromCharCode(head[8], head[9], head[10], head[11]);
    if (HEIF_BRANDS.has(brand)) return "heic";
  }
  return null;
}
