// Picks the metadata stripper for a detected format. HEIC and PDF are kept as
// they are: there is no well-kept pure-JavaScript HEIF writer to rewrite HEIC
// boxes with, so a HEIC photo keeps its Exif (and any GPS in it); PDF
// document properties are kept too. Storage and its callers document this.

import { stripJpegMetadata } from "./strip-jpeg";
import { stripPngMetadata } from "./strip-png";
import { passThrough, type MetadataStripper } from "./stripper";
import type { EvidenceFormat } from "./types";

export { MalformedFileError, type MetadataStripper } from "./stripper";

/** Formats whose location and text metadata are removed before storing. */
export const METADATA_STRIPPED_FORMATS: readonly EvidenceFormat[] = ["jpeg", "png"];

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
