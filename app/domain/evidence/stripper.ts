// The shape shared by the metadata strippers: bytes in, bytes out, one chunk
// at a time, so a 10 MB upload never has to be held in memory whole.

export interface MetadataStripper {
  /**
   * The bytes to keep for this chunk of input, in order: views into `chunk`
   * or small new arrays. Throws MalformedFileError as soon as the structure
   * is not what the format allows.
   */
  push(chunk: Uint8Array): Uint8Array[];
  /** At the end of the input: throws MalformedFileError when the file stopped half way. */
  end(): Uint8Array[];
}

/** The bytes start like a known format but do not follow it: refused like any unknown file. */
export class MalformedFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedFileError";
  }
}

/** Formats whose metadata we do not rewrite (PDF, HEIC): every byte is kept. */
export function passThrough(): MetadataStripper {
  return { push: (chunk) => [chunk], end: () => [] };
}
