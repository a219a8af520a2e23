// Chat and text conversations as staff and the /chat page see them: the
// language, when the last message came (24 hours of silence start afresh) and
// the transcript. The dialog's working state lives in BotState (Botkit storage).
// The read and the write of every turn are raw SQL (portable: PostgreSQL has
// the same INSERT … ON CONFLICT … DO UPDATE): each text's turn runs in the
// inbox worker beside the webhook's acknowledgements, and a typed call costs
// several times the CPU (Prisma's query compiler).
import type { Db } from "~/services/db.server";
import { isLanguage, type Language } from "~/i18n";

export type ConversationChannel = "chat" | "sms";

export interface TranscriptEntry {
  from: "resident" | "bot";
  text: string;
  /** ISO 8601 */
  at: string;
}

export interface ConversationRecord {
  id: string;
  language: Language;
  lastMessageAt: Date;
  transcript: TranscriptEntry[];
}

/** Lines kept per conversation: enough for any call-back, bounded for the database. */
export const TRANSCRIPT_MAX_LINES = 300;

export function conversationId(channel: ConversationChannel, address: string): string {
  return `${channel}:${address}`;
}

function parseTranscript(text: string): TranscriptEntry[] {
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return [];
    return value.filter(
      (line): line is TranscriptEntry =>
        typeof line === "object" && line !== null && (line.from === "resident" || line.from === "bot") && typeof line.text === "string" && typeof line.at === "string",
    );
  } catch {
    return [];
  }
}

export async function findConversation(db: Db, channel: ConversationChannel, address: string): Promise<ConversationRecord | null> {
  const rows = await db.$queryRaw<Array<{ id: string; language: string; lastMessageAt: Date; transcript: string }>>`
    SELECT "id", "language", "lastMessageAt", "transcript" FROM "Conversation" WHERE "id" = ${conversationId(channel, address)}`;
  const row = rows[0];
  if (!row) return null;
  return { id: row.id, language: isLanguage(row.language) ? row.language : "zh-CN", lastMessageAt: row.lastMessageAt, transcript: parseTranscript(row.transcript) };
}

/** Adds lines to the transcript (keeping the latest TRANSCRIPT_MAX_LINES) and moves lastMessageAt on. */
export async function recordTurn(
  db: Db,
  { channel, address, language, lines, now, previous }: {
    channel: ConversationChannel;
    address: string;
    language: Language;
    lines: TranscriptEntry[];
    now: Date;
    /** the transcript read at the start of the turn, when known (saves a read) */
    previous?: TranscriptEntry[];
  },
): Promise<void> {
  const id = conversationId(channel, address);
  const before = previous ?? (await findConversation(db, channel, address))?.transcript ?? [];
  const transcript = JSON.stringify([...before, ...lines].slice(-TRANSCRIPT_MAX_LINES));
  await db.$executeRaw`
    INSERT INTO "Conversation" ("id", "channel", "address", "language", "transcript", "lastMessageAt", "createdAt", "updatedAt")
    VALUES (${id}, ${channel}, ${address}, ${language}, ${transcript}, ${now}, ${now}, ${now})
    ON CONFLICT ("id") DO UPDATE SET
      "language" = excluded."language", "transcript" = excluded."transcript",
      "lastMessageAt" = excluded."lastMessageAt", "updatedAt" = excluded."updatedAt"`;
}

/** The transcript, oldest first; empty when there is no such conversation. */
export async function loadTranscript(db: Db, channel: ConversationChannel, address: string): Promise<TranscriptEntry[]> {
  return (await findConversation(db, channel, address))?.transcript ?? [];
}
