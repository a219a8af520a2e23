// Words that work in every state of a conversation, on both channels
// (contract "Chat and SMS"): a person, stop/start texts, and the language.
import { cleanAnswer } from "./normalize";

export type Keyword = "agent" | "stop" | "start" | "english" | "chinese";

const KEYWORDS: Record<string, Keyword> = {
  "0": "agent",
  人工: "agent",
  转人工: "agent",
  help: "agent",
  agent: "agent",
  stop: "stop",
  退订: "stop",
  unsubscribe: "stop",
  start: "start",
  en: "english",
  english: "english",
  中文: "chinese",
  zh: "chinese",
};

/** The keyword the whole message is, or null ("0" is one; "10" or "stop it" are not). */
export function detectKeyword(raw: string): Keyword | null {
  return KEYWORDS[cleanAnswer(raw)] ?? null;
}
