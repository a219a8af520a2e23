// How many SMS segments a text costs. A text that fits the GSM 03.38 alphabet
// goes as 7-bit septets (160 in one segment, 153 per segment when split; the
// extension characters such as € and [ take two); anything else, Chinese for
// one, goes as UCS-2 (70 UTF-16 units in one segment, 67 when split). A split
// never cuts an escape pair or a surrogate pair, as phones would not either.

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface SmsSegments {
  encoding: SmsEncoding;
  /** septets (GSM-7) or UTF-16 code units (UCS-2) */
  units: number;
  segments: number;
}

const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENSION = "\f^{}\\[~]|€";

const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

export const SINGLE_SEGMENT = { "GSM-7": 160, "UCS-2": 70 } as const;
export const SPLIT_SEGMENT = { "GSM-7": 153, "UCS-2": 67 } as const;

/** True when every character is in the GSM 7-bit alphabet (basic or extension table). */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!basic.has(ch) && !extension.has(ch)) return false;
  return true;
}

/** The sizes of the indivisible pieces of the text in its encoding's units. */
function pieces(text: string, encoding: SmsEncoding): number[] {
  // for…of walks code points, so a surrogate pair is one piece of 2 units.
  return [...text].map((ch) => (encoding === "GSM-7" ? (extension.has(ch) ? 2 : 1) : ch.length));
}

export function smsSegments(text: string): SmsSegments {
  const encoding: SmsEncoding = isGsm7(text) ? "GSM-7" : "UCS-2";
  const sizes = pieces(text, encoding);
  const units = sizes.reduce((a, b) => a + b, 0);
  if (units <= SINGLE_SEGMENT[encoding]) return { encoding, units, segments: units === 0 ? 0 : 1 };
  const room = SPLIT_SEGMENT[encoding];
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > room) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return { encoding, units, segments };
}
