// Picks the streaming metadata stripper for a detected format. HEIC passes
// through unchanged here: its metadata items are found through the boxes'
// offsets, so storage clears them in the written file afterwards
// (heif-metadata.ts). PDF document properties are kept.

import { stripJpegMetadata } from "./strip-jpeg";
import { stripPngMetadata } from "./strip-png";
import { passThrough, type MetadataStripper } from "./stripper";
import type { EvidenceFormat } from "./types";

export { MalformedFileError, type MetadataStripper } from "./stripper";

/** Formats whose location and text metadata are removed before storing. */
export const METADATA_STRIPPED_FORMATS: readonly EvidenceFormat[] = ["jpeg", "png", "heic"];

export function metadataStripperFor(format: EvidenceFormat): MetadataStripper {
  switch (format) {
    case "jpeg":
      return stripJpegMetadata();
    case "png":
      return stripPngMetadata();
    case "pdf":
    case "heic":
      return passThrough();
  }
}
