// A minimal writer of uncompressed POSIX ustar archives, streamed: a 512-byte
// header per entry, the bytes, zeros to the next 512-byte boundary, and two
// zero blocks at the end. Enough for the resident export (one JSON document
// and the evidence files, each well under 8 GiB); `tar -xf`, 7-Zip and the
// Windows and macOS archive tools all open it.
//
// Why our own: the one well-kept writer in node_modules (tar-stream) is only
// there as a dependency of the Remix dev tools, so a production install
// would not have it. Names are ASCII we make ourselves (never anything a
// person typed), so the header needs no PAX extension.

const BLOCK = 512;
const NAME_MAX = 100;
const PREFIX_MAX = 155;
/** What an 11-digit octal size field can hold. */
const SIZE_MAX = 0o77777777777;

export interface TarEntry {
  /** path inside the archive: ASCII letters, digits, "-", "_", "." and "/" */
  name: string;
  size: number;
  mtime: Date;
  /** the bytes, as one buffer or a stream of chunks that must add up to `size` */
  body: Uint8Array | AsyncIterable<Uint8Array>;
}

const SAFE_NAME = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

function octal(value: number, width: number): string {
  // width - 1 digits and a NUL, as ustar writers do
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

function writeAscii(block: Uint8Array, offset: number, text: string): void {
  for (let i = 0; i < text.length; i++) block[offset + i] = text.charCodeAt(i);
}

/** The name split into ustar's prefix and name fields. */
function splitName(name: string): { prefix: string; rest: string } {
  if (name.length <= NAME_MAX) return { prefix: "", rest: name };
  const cut = name.lastIndexOf("/", PREFIX_MAX);
  if (cut <= 0 || name.length - cut - 1 > NAME_MAX)
    throw new Error("tar entry name too long");
  return { prefix: name.slice(0, cut), rest: name.slice(cut + 1) };
}

/** The 512-byte header of a regular file. */
export function tarHeader(
  entry: Pick<TarEntry, "name" | "size" | "mtime">
): Uint8Array {
  if (
    !SAFE_NAME.test(entry.name) ||
    entry.name.split("/").some((part) => part === "." || part === "..")
  )
    throw new Error("tar entry name not allowed");
  if (
    !Number.isSafeInteger(entry.size) ||
    entry.size < 0 ||
    entry.size > SIZE_MAX
  )
    throw new Error("tar entry size not allowed");
  const { prefix, rest } = splitName(entry.name);
  const block = new Uint8Array(BLOCK);
  writeAscii(block, 0, rest);
  writeAscii(block, 100, octal(0o600, 8)); // mode
  writeAscii(block, 108, octal(0, 8)); // uid
  writeAscii(block, 116, octal(0, 8)); // gid
  writeAscii(block, 124, octal(entry.size, 12));
  writeAscii(
    block,
    136,
    octal(Math.max(0, Math.floor(entry.mtime.getTime() / 1000)), 12)
  );
  writeAscii(block, 148, "        "); // the checksum counts its own field as spaces
  writeAscii(block, 156, "0"); // regular file
  writeAscii(block, 257, "ustar\0");
  writeAscii(block, 263, "00");
  writeAscii(block, 345, prefix);
  let sum = 0;
  for (const byte of block) sum += byte;
  writeAscii(block, 148, `${sum.toString(8).padStart(6, "0")}\0 `);
  return block;
}

function padding(size: number): Uint8Array | null {
  const over = size % BLOCK;
  return over === 0 ? null : new Uint8Array(BLOCK - over);
}

/**
 * The archive as a stream of chunks. A streamed body that turns out longer or
 * shorter than its declared size throws (the archive would be corrupt).
 */
export async function* tarStream(
  entries: Iterable<TarEntry> | AsyncIterable<TarEntry>
): AsyncGenerator<Uint8Array> {
  for await (const entry of entries) {
    yield tarHeader(entry);
    if (entry.body instanceof Uint8Array) {
      if (entry.body.length !== entry.size)
        throw new Error("tar entry size does not match its bytes");
      if (entry.size > 0) yield entry.body;
    } else {
      let written = 0;
      for await (const chunk of entry.body) {
        written += chunk.length;
        if (written > entry.size)
          throw new Error("tar entry longer than its size");
        if (chunk.length > 0) yield chunk;
      }
      if (written !== entry.size)
        throw new Error("tar entry shorter than its size");
    }
    const pad = padding(entry.size);
    if (pad) yield pad;
  }
  yield new Uint8Array(BLOCK * 2);
}
