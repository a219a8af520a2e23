// i18next settings shared by the server and the browser.
import { NOTICE_DAYS } from "~/domain/case/notice";
export const SUPPORTED_LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "zh-CN";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (SUPPORTED_LANGUAGES as readonly string[]).includes(value);
}

export default {
  supportedLngs: [...SUPPORTED_LANGUAGES],
  fallbackLng: DEFAULT_LANGUAGE,
  defaultNS: "common",
  ns: ["common"],
  // {{noticeDays}} in any text is the public notice period (one constant, never "7" in a locale file).
  interpolation: { escapeValue: false, defaultVariables: { noticeDays: NOTICE_DAYS } },
};
