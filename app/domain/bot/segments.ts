// The text limit for every reply (issue 4): at most 3 SMS segments, which is
// 201 characters when any character is outside GSM-7 (Chinese) and 459 otherwise.
import { smsSegments } from "~/domain/sms/segments";

export const MAX_REPLY_SEGMENTS = 3;

export function fitsSmsLimit(text: string): boolean {
  return smsSegments(text).segments <= MAX_REPLY_SEGMENTS;
}
