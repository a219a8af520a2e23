// Dates and times on staff pages, in China time, in the page's language.
import type { Language } from "~/i18n";
import { formatShanghai } from "~/domain/time/shanghai-format";

export function staffDateTime(lng: Language, at: Date): string {
  return formatShanghai(lng, at, "dateTime");
}

export function staffTime(lng: Language, at: Date): string {
  return formatShanghai(lng, at, "time");
}
