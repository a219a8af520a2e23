// The bot's HTTP endpoints on the app's own Express server (contract "Chat
// and SMS"): POST /chat/messages (Botkit web adapter's webhook format), the
// websocket /chat/socket, POST /sms/twilio (Twilio's signed webhook,
// acknowledged with empty TwiML once the message is stored; answered after),
// and in demo mode the phone simulator's JSON API, POST /dev/sms (a JSON
// answer cannot come from the Remix route: a document POST renders the page).
// The SMS webhook is a hot path (issue 4: acknowledged within 100 ms with 32
// senders at once): signature, parse, one shared durable insert, 200. The
// turn runs afterwards in the inbox worker (bot/sms.ts).
// Chat messages (webhook and websocket) are counted against the chat limits
// (app/services/abuse-limits.server.ts) before any turn: over them, the
// visitor is told to slow down and the message is not run through the bot.
// Texts are counted by the inbox worker, not here (the acknowledgement stays
// one durable insert, and Twilio must get its 200 whatever happens).
import type { NextFunction } from "express";
import type { Server } from "node:http";
import type { TurnContext } from "botbuilder";
import express, { type Request, type Response, type Router } from "express";
import { normalizeMobile } from "~/domain/callback";
import { isLanguage, type Language } from "~/i18n";
import { findConversation } from "~/models/conversation.server";
import { limitChatMessage, retryAfter, waitText, type RateLimited } from "~/services/abuse-limits.server";
import { config } from "~/services/config.server";
import { db as defaultDb, type Db } from "~/services/db.server";
import { isValidTwilioSignature, type FormParams } from "~/services/twilio-signature.server";
import type { Bot } from "./controller";
import { renderReply } from "./render";
import { CLIENT_IP } from "./web-adapter";
import { acceptInboundText, ensureSmsInbox, simulateText, type SmsInbox } from "./sms";

export const CHAT_SOCKET_PATH = "/chat/socket";
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const EMPTY_TWIML_BYTES = Buffer.from(EMPTY_TWIML);
const MAX_TEXT = 1600;
const MAX_USER = 100;
/** Twilio's webhook form: a few hundred bytes (Body up to 1600 characters, and its other fields). */
const MAX_FORM_BYTES = 64 * 1024;

export interface BotHttpOptions {
  db: Db;
  bot: Bot;
  /** the inbox worker to wake after a text is stored (null: answered at the next start) */
  inbox: () => SmsInbox | null;
  /** PUBLIC_URL and TWILIO_AUTH_TOKEN; read per request so tests can change them */
  settings?: () => { publicUrl: string; authToken: string | null };
  /** demo mode (the phone simulator); default config().demo */
  demo?: () => boolean;
}

function defaultSettings() {
  const cfg = config();
  return { publicUrl: cfg.publicUrl, authToken: cfg.twilio.authToken };
}

/** The chat's language for a "slow down" reply: the conversation's, else the one the message asked for. */
async function chatLanguage(db: Db, visitor: string, hint: unknown): Promise<Language> {
  const conversation = await findConversation(db, "chat", visitor).catch(() => null);
  return conversation?.language ?? (isLanguage(hint) ? hint : "zh-CN");
}

/** "You are sending messages very fast. Please wait 4 minutes…" in the chat's language. */
async function slowDown(db: Db, visitor: string, hint: unknown, verdict: RateLimited): Promise<string> {
  const language = await chatLanguage(db, visitor, hint);
  return renderReply({ key: "rateLimit.chat", params: { wait: waitText(language, verdict) } }, language).text;
}

/** POST /chat/messages: {"type":"message","user","channel","text"} → [{type, text, quick_replies?}]; 429 with the "slow down" message over the chat limits. */
export function chatWebhook({ bot, db = defaultDb }: Pick<BotHttpOptions, "bot"> & { db?: Db }) {
  return async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const user = typeof body.user === "string" ? body.user.trim() : "";
    const text = typeof body.text === "string" ? body.text : "";
    if (body.type !== "message" || user === "" || user.length > MAX_USER || text.length > MAX_TEXT) {
      res.status(400).json({ error: "expected {\"type\":\"message\",\"user\",\"channel\",\"text\"}" });
      return;
    }
    const language = isLanguage(body.language) ? body.language : undefined;
    try {
      const verdict = await limitChatMessage({ visitor: user, ip: req.ip ?? null }, { db });
      if (!verdict.ok) {
        const slow = await slowDown(db, user, language, verdict);
        res.status(429).set("Cache-Control", "no-store").set(retryAfter(verdict)).json([{ type: "message", text: slow }]);
        return;
      }
      const { replies } = await bot.turn({ channel: "chat", address: user, text, language, clientIp: req.ip ?? null });
      res
        .status(200)
        .set("Cache-Control", "no-store")
        .json(replies.map((r) => ({ type: "message", text: r.text, ...(r.quickReplies ? { quick_replies: r.quickReplies } : {}) })));
    } catch (error) {
      console.error(`chat: a turn failed (${error instanceof Error ? error.name : "error"})`);
      res.status(503).json({ error: "try again" });
    }
  };
}

/** The acknowledgement: empty TwiML, written directly (no ETag or charset work for a fixed body). */
function acknowledge(res: Response): void {
  res.writeHead(200, { "Content-Type": "text/xml; charset=utf-8", "Content-Length": EMPTY_TWIML_BYTES.length, "Cache-Control": "no-store" });
  res.end(EMPTY_TWIML_BYTES);
}

/**
 * Twilio's form body (application/x-www-form-urlencoded, UTF-8) into
 * req.body: a name given twice becomes a list, as the signature expects. A
 * lean reader for the hot path (body-parser's type checks, charset decoding
 * and stream wrappers cost more than the form itself); 413 when too large.
 */
export function twilioForm(req: Request, res: Response, next: NextFunction): void {
  if (!req.is("application/x-www-form-urlencoded")) {
    // Not Twilio's form: no fields, so the signature check refuses it (403).
    req.body = {};
    next();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) {
      if (!failed) res.status(413).set("Connection", "close").type("text/plain").send("Too large");
      failed = true;
      return;
    }
    chunks.push(chunk);
  });
  req.on("error", () => {
    failed = true;
  });
  req.on("end", () => {
    if (failed) return;
    const form: FormParams = {};
    for (const [name, value] of new URLSearchParams(Buffer.concat(chunks, size).toString("utf8"))) {
      const before = form[name];
      form[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
    }
    req.body = form;
    next();
  });
}

/**
 * POST /sms/twilio. 403 and no effect without a valid signature (and always
 * while TWILIO_AUTH_TOKEN is unset: there is nothing to check against, so
 * demo mode uses the phone simulator /dev/sms instead).
 */
export function twilioWebhook({ db, inbox, settings = defaultSettings }: Omit<BotHttpOptions, "bot">) {
  return async (req: Request, res: Response) => {
    const { publicUrl, authToken } = settings();
    const params = (req.body ?? {}) as FormParams;
    const url = publicUrl + req.originalUrl;
    if (!authToken || !isValidTwilioSignature(authToken, req.get("X-Twilio-Signature"), url, params)) {
      res.status(403).type("text/plain").send("Forbidden");
      return;
    }
    const sid = typeof params.MessageSid === "string" ? params.MessageSid : "";
    const from = normalizeMobile(typeof params.From === "string" ? params.From : "");
    const text = typeof params.Body === "string" ? params.Body.slice(0, MAX_TEXT) : "";
    if (sid === "" || sid.length > 64 || !from.ok) {
      // Signed but not a text we can answer (e.g. a landline): acknowledged, nothing stored.
      acknowledge(res);
      return;
    }
    try {
      const outcome = await acceptInboundText(db, { sid, from: from.phone, body: text });
      acknowledge(res);
      // Wake the worker: it answers after the acknowledgement has left.
      if (outcome === "accepted") inbox()?.kick();
    } catch (error) {
      // Not stored: Twilio retries a 5xx, and the MessageSid keeps the retry single.
      console.error(`sms: a text could not be stored (${error instanceof Error ? error.name : "error"})`);
      res.status(503).type("text/plain").send("Try again");
    }
  };
}

/**
 * POST /dev/sms with a JSON body {"from","body"} → {"replies":[string]}: a text
 * from that phone, through the same dialogs and outbox as a real one. Demo
 * mode only; any other request goes on to the Remix page.
 */
export function phoneSimulator({ db, bot, inbox, demo = () => config().demo }: Pick<BotHttpOptions, "db" | "bot" | "inbox" | "demo">) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!demo() || !req.is("application/json")) {
      next();
      return;
    }
    const { from, body } = (req.body ?? {}) as { from?: unknown; body?: unknown };
    const phone = typeof from === "string" ? normalizeMobile(from) : null;
    if (!phone?.ok) {
      res.status(400).json({ error: "from must be a mobile number" });
      return;
    }
    if (typeof body !== "string" || body.trim() === "" || body.length > MAX_TEXT) {
      res.status(400).json({ error: `body must be text of 1 to ${MAX_TEXT} characters` });
      return;
    }
    try {
      const replies = await simulateText(db, inbox() ?? ensureSmsInbox(db, bot), { from: phone.phone, body });
      // Not answered in time (a long backlog): stored, and it will be answered; 202 says so.
      if (replies === null) res.status(202).set("Cache-Control", "no-store").json({ replies: [], queued: true });
      else res.status(200).set("Cache-Control", "no-store").json({ replies });
    } catch (error) {
      console.error(`dev sms: a turn failed (${error instanceof Error ? error.name : "error"})`);
      res.status(503).json({ error: "try again" });
    }
  };
}

export function botRouter(options: BotHttpOptions): Router {
  const router = express.Router();
  router.post("/chat/messages", express.json({ limit: "16kb" }), chatWebhook(options));
  router.post("/sms/twilio", twilioForm, twilioWebhook(options));
  router.post("/dev/sms", express.json({ limit: "16kb" }), phoneSimulator(options));
  return router;
}

/**
 * The websocket's turns behind the chat limits: over them, the visitor gets
 * the "slow down" message on the socket instead of a turn. A failed turn is
 * logged by its kind only (Botkit would log the whole error).
 */
export function limitedSocketLogic(bot: Bot, db: Db = defaultDb) {
  return async (context: TurnContext): Promise<void> => {
    try {
      if (context.activity.type === "message") {
        const visitor = String(context.activity.from?.id ?? "");
        const ip = (context.turnState.get(CLIENT_IP) as string | undefined) ?? null;
        const verdict = await limitChatMessage({ visitor, ip }, { db });
        if (!verdict.ok) {
          const hint = (context.activity.channelData as { language?: unknown } | undefined)?.language;
          await context.sendActivity({ type: "message", text: await slowDown(db, visitor, hint, verdict) });
          return;
        }
      }
      await bot.logic(context);
    } catch (error) {
      console.error(`chat socket: a turn failed (${error instanceof Error ? error.name : "error"})`);
    }
  };
}

/** The websocket /chat/socket on the app's HTTP server. */
export function attachChatSocket(server: Server, bot: Bot, db: Db = defaultDb): void {
  bot.adapter.attachSockets(server, CHAT_SOCKET_PATH, limitedSocketLogic(bot, db) as never);
}
