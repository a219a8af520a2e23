// Dates and times on staff pages, in China time, in the page's language.
import type { Language } from "~/i18n";

export function staffDateTime(lng: Language, at: Date): string {
  return new Intl.DateTimeFormat(lng === "en" ? "en-GB" : "zh-CN", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(at);
}

export function staffTime(lng: Language, at: Date): string {
  return new Intl.DateTimeFormat(lng === "en" ? "en-GB" : "zh-CN", { timeStyle: "short", timeZone: "Asia/Shanghai" }).format(at);
}
