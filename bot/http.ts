// The bot's HTTP endpoints on the app's own Express server (contract "Chat
// and SMS"): POST /chat/messages (Botkit web adapter's webhook format), the
// websocket /chat/socket, POST /sms/twilio (Twilio's signed webhook,
// acknowledged with empty TwiML once the message is stored; answered after),
// and in demo mode the phone simulator's JSON API, POST /dev/sms (a JSON
// answer cannot come from the Remix route: a document POST renders the page).
import type { NextFunction } from "express";
import type { Server } from "node:http";
import express, { type Request, type Response, type Router } from "express";
import { normalizeMobile } from "~/domain/callback";
import { isLanguage } from "~/i18n";
import { config } from "~/services/config.server";
import type { Db } from "~/services/db.server";
import { isValidTwilioSignature, type FormParams } from "~/services/twilio-signature.server";
import type { Bot } from "./controller";
import { acceptInboundText, answerText, whileAcknowledging, type SmsInbox } from "./sms";

export const CHAT_SOCKET_PATH = "/chat/socket";
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const MAX_TEXT = 1600;
const MAX_USER = 100;

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

/** POST /chat/messages: {"type":"message","user","channel","text"} → [{type, text, quick_replies?}]. */
export function chatWebhook({ bot }: Pick<BotHttpOptions, "bot">) {
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
      const { replies } = await bot.turn({ channel: "chat", address: user, text, language });
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
      res.status(200).type("text/xml").send(EMPTY_TWIML);
      return;
    }
    try {
      const outcome = await whileAcknowledging(() => acceptInboundText(db, { sid, from: from.phone, body: text }));
      res.status(200).type("text/xml").send(EMPTY_TWIML);
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
export function phoneSimulator({ db, bot, demo = () => config().demo }: Pick<BotHttpOptions, "db" | "bot" | "demo">) {
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
      const replies = await answerText(db, bot, { from: phone.phone, body });
      res.status(200).set("Cache-Control", "no-store").json({ replies });
    } catch (error) {
      console.error(`dev sms: a turn failed (${error instanceof Error ? error.name : "error"})`);
      res.status(503).json({ error: "try again" });
    }
  };
}

export function botRouter(options: BotHttpOptions): Router {
  const router = express.Router();
  router.post("/chat/messages", express.json({ limit: "16kb" }), chatWebhook(options));
  router.post("/sms/twilio", express.urlencoded({ extended: false, limit: "64kb" }), twilioWebhook(options));
  router.post("/dev/sms", express.json({ limit: "16kb" }), phoneSimulator(options));
  return router;
}

/** The websocket /chat/socket on the app's HTTP server. */
export function attachChatSocket(server: Server, bot: Bot): void {
  bot.adapter.attachSockets(server, CHAT_SOCKET_PATH, bot.logic as never);
}
