// Hostile inputs for the fuzz suite (tests/integration/fuzz): strings a
// careless parser trips on (huge, control characters, lone surrogates, emoji,
// numbers out of range, injection-looking text), form bodies built from a
// route's own field names and such values (repeated keys, missing fields,
// unknown fields, file parts where text is expected), and bodies that are not
// the form they claim to be (multipart without or with the wrong boundary, cut
// short, raw bytes). Each body is plain data (printable in a fast-check
// counterexample) turned into a fresh Request per run.
import fc from "fast-check";

/** One very long value of each kind (built once: arbitraries share them). */
const HUGE = [
  "x".repeat(100_000),
  "9".repeat(5_000),
  "中".repeat(20_000),
  "😀".repeat(10_000),
  "%".repeat(30_000),
  "a=b&".repeat(10_000),
];

const CONTROL = [
  "\u0000",
  "\u0001",
  "\u0007",
  "\b",
  "\t",
  "\n",
  "\r",
  "\u000b",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u2028",
  "\u2029",
  "\u202e",
  "\u200b",
  "\ufeff",
  "\ufffd",
];

/** Numbers and dates a form field might be parsed as, out of every range. */
const NUMBERS = [
  "-1",
  "0",
  "-0",
  "1e309",
  "-1e309",
  "1e-400",
  "NaN",
  "Infinity",
  "99999999999999999999999999",
  "9007199254740993",
  "-9007199254740993",
  "2147483648",
  "0x1F",
  "1_000",
  "１２３",
  "1.5",
  " 42 ",
  "12abc",
  "2026-02-30",
  "0000-00-00",
  "9999-12-31",
  "2026-13-01",
  "1900-01-01",
  "24:61",
];

/** Text that means something to some other parser. */
const SPECIAL = [
  "",
  " ",
  "__proto__",
  "constructor",
  "prototype",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  '{"a":1}',
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  '"; DROP TABLE Application; --',
  "%00",
  "%ZZ",
  "%E4%B8",
  "${jndi:ldap://x}",
  "{{7*7}}",
  "LA-0000-0000",
  "CB-0000-0000",
  "+8613800138000",
  "13800138000",
  "０１２３４５６７８９０",
  "\ud800",
  "\udfff",
  "a\ud83d",
];

/** Lone surrogates and any other UTF-16 code unit. */
const anyCodeUnits = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
  maxLength: 30,
});

/** A hostile string; `known` adds the field's own meaningful values (enums, intents) so the fuzz also gets past the first check. */
export function hostileString(
  known: readonly string[] = []
): fc.Arbitrary<string> {
  const parts: Array<fc.WeightedArbitrary<string>> = [
    { arbitrary: fc.string({ maxLength: 20 }), weight: 3 },
    { arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }), weight: 3 },
    { arbitrary: fc.string({ unit: "binary", maxLength: 30 }), weight: 2 },
    { arbitrary: anyCodeUnits, weight: 2 },
    {
      arbitrary: fc.string({
        unit: fc.constantFrom(...CONTROL),
        maxLength: 12,
      }),
      weight: 2,
    },
    { arbitrary: fc.constantFrom(...NUMBERS), weight: 2 },
    {
      arbitrary: fc.oneof(
        fc.double().map(String),
        fc.bigInt().map(String),
        fc.integer().map(String)
      ),
      weight: 1,
    },
    { arbitrary: fc.constantFrom(...SPECIAL), weight: 2 },
    { arbitrary: fc.constantFrom(...HUGE), weight: 1 },
  ];
  if (known.length > 0)
    parts.push({ arbitrary: fc.constantFrom(...known), weight: 6 });
  return fc.oneof(...parts);
}

/** A field name: mostly the route's own, sometimes something else. */
export function fieldName(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    {
      arbitrary: fc.constantFrom(
        ...known,
        "csrf",
        "intent",
        "token",
        "_once",
        "_data",
        "__proto__",
        "constructor"
      ),
      weight: 6,
    },
    { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
    { arbitrary: anyCodeUnits, weight: 1 },
    { arbitrary: fc.constantFrom(...HUGE.slice(0, 2)), weight: 1 }
  );
}

export interface FilePart {
  file: string;
  type: string;
  /** the bytes, as a printable list (small) */
  bytes: number[];
  /** and this many more zero bytes after them */
  padding: number;
}

export type FormEntry = [string, string | FilePart];

/** A body as plain data: one of three kinds. */
export type BodySpec =
  /** well-formed application/x-www-form-urlencoded (with this exact Content-Type) */
  | {
      kind: "urlencoded";
      contentType: string;
      entries: Array<[string, string]>;
    }
  /** well-formed multipart (the runtime writes the boundary) */
  | { kind: "multipart"; entries: FormEntry[] }
  /** exactly these bytes with this Content-Type (malformed on purpose) */
  | { kind: "raw"; contentType: string; body: string };

/** Content types that pass the app's form gate (app/server/app.ts): what a page action can actually be sent. */
export const FORM_CONTENT_TYPES = [
  "application/x-www-form-urlencoded",
  "application/x-www-form-urlencoded; charset=UTF-8",
  "application/x-www-form-urlencoded;charset=latin1",
  "Application/X-WWW-Form-Urlencoded",
  " application/x-www-form-urlencoded ; boundary=zz",
];

const MULTIPART_TYPES = [
  "multipart/form-data",
  "multipart/form-data; boundary=",
  "multipart/form-data; boundary=zz",
  'MULTIPART/FORM-DATA; boundary="zz"',
  "multipart/form-data; boundary=zz; boundary=yy",
];

const MIME = [
  "application/pdf",
  "image/jpeg",
  "image/png",
  "text/plain",
  "application/octet-stream",
  "",
  "text/html",
];

/** Magic numbers of the accepted document formats and a few others, so file checks see near misses. */
const MAGIC: number[][] = [
  [0x25, 0x50, 0x44, 0x46, 0x2d],
  [0xff, 0xd8, 0xff],
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  [0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63],
  [0x3c, 0x68, 0x74, 0x6d, 0x6c],
  [],
];

export const filePart: fc.Arbitrary<FilePart> = fc.record({
  file: hostileString(["a.pdf", "scan.jpg", "x.png", "../../x.pdf", ""]),
  type: fc.constantFrom(...MIME),
  bytes: fc
    .tuple(
      fc.constantFrom(...MAGIC),
      fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 24 })
    )
    .map(([magic, rest]) => [...magic, ...rest]),
  padding: fc.oneof(
    { arbitrary: fc.constant(0), weight: 4 },
    { arbitrary: fc.integer({ min: 1, max: 200_000 }), weight: 1 }
  ),
});

/** Malformed multipart bodies: wrong or missing boundary, cut short, headers without a name, nothing at all. */
const brokenMultipart: fc.Arbitrary<BodySpec> = fc
  .tuple(
    fc.constantFrom(...MULTIPART_TYPES),
    fc.oneof(
      fc.constantFrom(
        "",
        "a=1",
        "--zz",
        "--zz\r\n",
        '--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n',
        '--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--zz--',
        "--zz\r\nContent-Disposition: form-data\r\n\r\n1\r\n--zz--\r\n",
        '--zz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n',
        '--zz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--zz--\r\n',
        '--yy\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--yy--\r\n',
        "--zz--\r\n"
      ),
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.string({ maxLength: 200 }).map((s) => `--zz\r\n${s}\r\n--zz--\r\n`)
    )
  )
  .map(([contentType, body]) => ({ kind: "raw" as const, contentType, body }));

/** Urlencoded text that is not what a browser sends: stray %, lone &/=, raw bytes, one huge value. */
const brokenUrlencoded: fc.Arbitrary<BodySpec> = fc
  .tuple(
    fc.constantFrom(...FORM_CONTENT_TYPES),
    fc.oneof(
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.constantFrom(
        "%",
        "%%%",
        "&&&==&",
        "a=%ZZ&b=%E4%B8",
        "=",
        "a",
        "a=1&a=2&a=3",
        ...HUGE.slice(3)
      )
    )
  )
  .map(([contentType, body]) => ({ kind: "raw" as const, contentType, body }));

/**
 * Any body a page action may be sent past the form gate, built around its own
 * field names (`fields`) and meaningful values (`values`, e.g. intents):
 * well-formed urlencoded (most runs), well-formed multipart with text or file
 * parts, and malformed bodies of either type.
 */
export function formBody(
  fields: readonly string[],
  values: readonly string[] = [],
  { files = false }: { files?: boolean } = {}
): fc.Arbitrary<BodySpec> {
  const value = hostileString(values);
  const entries = fc.array(fc.tuple(fieldName(fields), value), {
    maxLength: 10,
  });
  const multipartValue: fc.Arbitrary<string | FilePart> = files
    ? fc.oneof(
        { arbitrary: value, weight: 2 },
        { arbitrary: filePart, weight: 1 }
      )
    : fc.oneof(
        { arbitrary: value, weight: 5 },
        { arbitrary: filePart, weight: 1 }
      );
  return fc.oneof(
    {
      arbitrary: fc.record({
        kind: fc.constant("urlencoded" as const),
        contentType: fc.constantFrom(...FORM_CONTENT_TYPES),
        entries,
      }),
      weight: 6,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant("multipart" as const),
        entries: fc.array(fc.tuple(fieldName(fields), multipartValue), {
          maxLength: 8,
        }),
      }),
      weight: files ? 5 : 2,
    },
    { arbitrary: brokenMultipart, weight: 2 },
    { arbitrary: brokenUrlencoded, weight: 1 }
  );
}

function fileBytes(part: FilePart): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(part.bytes.length + part.padding);
  bytes.set(part.bytes);
  return bytes;
}

/** The body and its Content-Type (null: the runtime sets it, as for multipart). */
export function encodeBody(spec: BodySpec): {
  body: BodyInit;
  contentType: string | null;
} {
  if (spec.kind === "raw")
    return { body: spec.body, contentType: spec.contentType };
  if (spec.kind === "urlencoded") {
    const params = new URLSearchParams();
    for (const [name, value] of spec.entries) params.append(name, value);
    return { body: params.toString(), contentType: spec.contentType };
  }
  const form = new FormData();
  for (const [name, value] of spec.entries) {
    if (typeof value === "string") form.append(name, value);
    else
      form.append(
        name,
        new Blob([fileBytes(value)], { type: value.type }),
        value.file
      );
  }
  return { body: form, contentType: null };
}

/** A short description of a body for failure messages (no 100 kB values). */
export function describeBody(spec: BodySpec): string {
  return JSON.stringify(spec, (_key, value: unknown) =>
    typeof value === "string" && value.length > 80
      ? `${value.slice(0, 40)}…(${value.length} chars)`
      : value
  );
}

/**
 * The string as it can arrive in a route param: Remix decodes the address as
 * UTF-8, so a lone surrogate comes as U+FFFD (it cannot be percent-encoded).
 */
export function wellFormed(value: string): string {
  return Buffer.from(value, "utf8").toString("utf8");
}
