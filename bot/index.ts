// The chat and text-message assistant's public face for the rest of the portal.
// The /chat page (a Remix route) calls `converse` from its action and
// `transcriptFor` from its loader; both run in the server bundle, so they share
// the one Prisma client and the one Botkit controller with /chat/socket,
// /chat/messages and /sms/twilio. Every reply comes from the same dialogs.
import type { Language } from "~/i18n";
import { runTurn } from "./turn";
import { loadTranscript } from "~/models/conversation.server";
import { db } from "~/services/db.server";

export type BotChannel = "chat" | "sms";

export interface QuickReply {
  /** what the button shows, in the conversation's language */
  title: string;
  /** what to send back as the message text when it is chosen (e.g. "1") */
  payload: string;
}

export interface BotReply {
  text: string;
  quickReplies?: QuickReply[];
}

export interface ConverseInput {
  channel: BotChannel;
  /** chat: the browser's anonymous id (any stable string ≤ 100 chars); sms: an E.164 phone */
  address: string;
  text: string;
  /** The page's language: used only when the conversation has none yet (EN / 中文 switch it later). */
  language?: Language;
  /** the sender's address (chat), for the per-IP call-back limit */
  clientIp?: string | null;
}

export interface ConverseResult {
  replies: BotReply[];
  /** the conversation's language after this turn (the page may follow it) */
  language: Language;
}

export interface TranscriptLine {
  from: "resident" | "bot";
  text: string;
  /** ISO 8601 */
  at: string;
}

/**
 * One turn: the resident's text in, the bot's replies out (already stored in
 * the transcript). For channel "sms" the replies are returned only: the caller
 * decides whether to text them (the inbox worker, bot/sms.ts, queues them in the outbox).
 */
export async function converse(input: ConverseInput): Promise<ConverseResult> {
  return runTurn(input);
}

/** The stored transcript (oldest first) of one conversation, empty when there is none. */
export async function transcriptFor(channel: BotChannel, address: string): Promise<TranscriptLine[]> {
  return loadTranscript(db, channel, address);
}
