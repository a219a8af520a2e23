// The language of the operators' command-line tools: LIFELINE_LANG, else the
// shell's LANG (zh… means Chinese), else Chinese, the service's default.
import type { Language } from "~/i18n";

export function cliLanguage(env: NodeJS.ProcessEnv = process.env): Language {
  const wanted = (env.LIFELINE_LANG || env.LANG || "zh-CN").toLowerCase();
  return wanted.startsWith("en") ? "en" : "zh-CN";
}
