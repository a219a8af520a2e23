// The /chat page's side of the assistant: who is chatting (an anonymous id in
// a signed, HttpOnly, SameSite=Lax cookie, made on the first visit) and one
// turn of the conversation for the page's form and its script. The id is 128
// random bits, so nobody can guess another browser's conversation; it never
// leaves the cookie. The cookie also keeps the last reply's quick answers,
// because the stored transcript holds text only and the form's redirect
// (POST → 303 → GET) would otherwise lose them.
import crypto from "node:crypto";
import { createCookie } from "@remix-run/node";
import { converse, transcriptFor, type QuickReply } from "../../bot";
import type { Language } from "~/i18n";
import { config } from "./config.server";

/** Longest message the page accepts (the bot reads short answers). */
export const CHAT_MAX_LENGTH = 500;
/** Lines shown on the page: the newest ones. */
const SHOWN_LINES = 200;
const QUICK_MAX = 8;
const QUICK_TEXT_MAX = 80;
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

interface ChatCookie {
  id: string;
  quick: QuickReply[];
}

let cookie: ReturnType<typeof makeCookie> | null = null;

function makeCookie() {
  return createCookie("__chat", {
    path: "/chat",
    httpOnly: true,
    sameSite: "lax",
    secure: config().production,
    secrets: [config().sessionSecret],
    maxAge: 60 * 60 * 24 * 30,
  });
}

function chatCookie() {
  cookie ??= makeCookie();
  return cookie;
}

/** 128 random bits, URL-safe. */
export function newChatId(): string {
  return crypto.randomBytes(16).toString("base64url");
}

function cleanQuick(value: unknown): QuickReply[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((q): q is QuickReply => typeof q?.title === "string" && typeof q?.payload === "string")
    .slice(0, QUICK_MAX)
    .map((q) => ({ title: q.title.slice(0, QUICK_TEXT_MAX), payload: q.payload.slice(0, QUICK_TEXT_MAX) }));
}

export interface ChatVisitor {
  id: string;
  quick: QuickReply[];
  /** Set-Cookie to send when the cookie was missing or unreadable; null when it is fine as is */
  setCookie: string | null;
}

/** This browser's chat, or a new one (with its Set-Cookie) when it has none. */
export async function chatVisitor(request: Request): Promise<ChatVisitor> {
  const parsed = (await chatCookie().parse(request.headers.get("Cookie"))) as Partial<ChatCookie> | null;
  if (parsed && typeof parsed.id === "string" && ID_PATTERN.test(parsed.id)) {
    return { id: parsed.id, quick: cleanQuick(parsed.quick), setCookie: null };
  }
  const id = newChatId();
  return { id, quick: [], setCookie: await serializeChat(id, []) };
}

export function serializeChat(id: string, quick: QuickReply[]): Promise<string> {
  const value: ChatCookie = { id, quick: cleanQuick(quick) };
  return chatCookie().serialize(value);
}

/**
 * A form post from another site (a page elsewhere submitting to /chat) is
 * refused: browsers say where a request came from in Sec-Fetch-Site.
 */
export function isCrossSite(request: Request): boolean {
  return request.headers.get("Sec-Fetch-Site") === "cross-site";
}

export interface ChatLine {
  /** position in the whole transcript (the page shows the newest lines only) */
  n: number;
  from: "resident" | "bot";
  text: string;
  at: string;
  /** the language the line is written in, for screen readers */
  lang: Language;
}

// The transcript does not record each line's language; Chinese characters say it.
const HAN = /[\u3400-\u9fff]/;

function lineLanguage(text: string): Language {
  return HAN.test(text) ? "zh-CN" : "en";
}

/** The conversation so far, oldest first, as the page shows it. */
export async function chatLines(id: string): Promise<ChatLine[]> {
  const lines = await transcriptFor("chat", id);
  const first = Math.max(0, lines.length - SHOWN_LINES);
  return lines.slice(first).map((line, i) => ({ n: first + i, from: line.from, text: line.text, at: line.at, lang: lineLanguage(line.text) }));
}

export type MessageProblem = "empty" | "tooLong";

/** What the resident typed, trimmed, or why it cannot be sent. */
export function readMessage(form: FormData): { ok: true; text: string } | { ok: false; problem: MessageProblem; text: string } {
  const raw = form.get("text");
  const text = typeof raw === "string" ? raw.trim() : "";
  if (text === "") return { ok: false, problem: "empty", text };
  if (text.length > CHAT_MAX_LENGTH) return { ok: false, problem: "tooLong", text };
  return { ok: true, text };
}

/** One turn: the bot answers (and stores both sides); returns the cookie keeping its quick answers. `ip`: the sender's address, for the bot's call-back limit. */
export async function sendChatMessage(id: string, text: string, language: Language, ip: string | null = null): Promise<{ setCookie: string; quick: QuickReply[] }> {
  const result = await converse({ channel: "chat", address: id, text, language, clientIp: ip });
  const last = result.replies.at(-1);
  const quick = cleanQuick(last?.quickReplies ?? []);
  return { setCookie: await serializeChat(id, quick), quick };
}
