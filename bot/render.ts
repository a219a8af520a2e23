// Turns the engine's replies (keys and values) into text in the
// conversation's language, from the "bot" namespace (programme names from
// "rules"). Every string a resident reads comes from the locale files.
import type { Reply } from "~/domain/bot";
import { programName } from "~/domain/eligibility";
import type { Language } from "~/i18n";
import { fixedT } from "~/services/i18n.server";

export interface RenderedReply {
  text: string;
  quickReplies?: Array<{ title: string; payload: string }>;
}

export function renderReply(reply: Reply, language: Language): RenderedReply {
  const t = fixedT(language, ["bot", "rules"]);
  const params: Record<string, string | number> = { ...reply.params };
  if (reply.programs) params.programs = reply.programs.map((code) => programName(t, code)).join(t("bot:programSeparator"));
  // interpolation.escapeValue is off for these texts: they are plain text, never HTML.
  const text = t(`bot:${reply.key}`, { ...params, interpolation: { escapeValue: false } });
  const rendered: RenderedReply = { text };
  if (reply.quick && reply.quick.length > 0) rendered.quickReplies = reply.quick.map((q) => ({ title: t(`bot:${q.key}`), payload: q.payload }));
  return rendered;
}
