// The one Botkit controller: the web adapter, the database storage, the
// "lifeline" dialog, and `turn` which runs one message from either channel
// through it and returns the replies. Created once per process inside the
// server bundle (getBot), so it shares the Prisma client with the routes.
import { Botkit } from "botkit";
import { TurnContext } from "botbuilder";
import type { Channel } from "~/domain/bot";
import { isLanguage, type Language } from "~/i18n";
import { prismaBotStorage } from "~/models/bot-storage.server";
import { config } from "~/services/config.server";
import { db, type Db } from "~/services/db.server";
import { createLifelineDialog, DIALOG_ID, TURN_LANGUAGE } from "./dialog";
import type { BotDeps } from "./ports";
import { clientForStorageKey, withTurnClient } from "./turn-client";
import { withTurnLock } from "./turn-lock";
import { CLIENT_IP, LifelineWebAdapter, REPLIES, type OutgoingMessage } from "./web-adapter";

export interface TurnReply {
  text: string;
  quickReplies?: Array<{ title: string; payload: string }>;
}

export interface TurnOptions {
  /** the client every read and write of the turn goes through (a transaction's, for texts); default the bot's own */
  db?: Db;
  /** false when the caller already holds this conversation's turn lock (withTurnLock) */
  lock?: boolean;
}

export interface Bot {
  controller: Botkit;
  adapter: LifelineWebAdapter;
  /** One message in, the replies out (in order), after the state is saved. */
  turn(input: { channel: Channel; address: string; text: string; language?: Language; clientIp?: string | null }, options?: TurnOptions): Promise<{ replies: TurnReply[]; language: Language }>;
  /** Botkit's turn logic, serialised per conversation (for the websocket). */
  logic(context: TurnContext): Promise<void>;
}

export function toTurnReply(message: OutgoingMessage): TurnReply {
  const reply: TurnReply = { text: String(message.text ?? "") };
  if (Array.isArray(message.quick_replies) && message.quick_replies.length > 0) {
    reply.quickReplies = message.quick_replies.map((q) => ({ title: String(q.title), payload: String(q.payload) }));
  }
  return reply;
}

function lockKey(context: TurnContext): string {
  const channelId = context.activity.channelId === "twilio-sms" ? "sms" : "chat";
  return `${channelId}:${context.activity.conversation?.id ?? ""}`;
}

export function createBot(deps: BotDeps): Bot {
  const adapter = new LifelineWebAdapter();
  const controller = new Botkit({
    adapter,
    storage: prismaBotStorage((key) => clientForStorageKey(deps.db, key)),
    disable_webserver: true,
    disable_console: true,
  });
  controller.addDialog(createLifelineDialog(controller, deps));
  // No dialog yet (or it was lost): every message starts the one dialog, which answers it.
  controller.on("message", async (bot) => {
    await bot.beginDialog(DIALOG_ID);
  });

  const handle = (context: TurnContext) => controller.handleTurn(context);
  const logic = (context: TurnContext) => withTurnLock(lockKey(context), () => handle(context));

  return {
    controller,
    adapter,
    logic,
    async turn({ channel, address, text, language, clientIp }, options = {}) {
      const activity = {
        type: "message",
        timestamp: new Date(),
        channelId: channel === "sms" ? "twilio-sms" : "webhook",
        conversation: { id: address },
        from: { id: address },
        recipient: { id: "bot" },
        text,
        channelData: { type: "message", user: address, channel: address, text, ...(language ? { language } : {}) },
      };
      const context = new TurnContext(adapter as never, activity as never);
      // Kept on the turn, not in channelData: a websocket client writes channelData itself.
      if (clientIp) context.turnState.set(CLIENT_IP, clientIp);
      const run = () => adapter.runTurn(context, handle as never);
      const inClient = options.db ? () => withTurnClient(activity.channelId, address, options.db as Db, run) : run;
      await (options.lock === false ? inClient() : withTurnLock(`${channel}:${address}`, inClient));
      const collected = (context.turnState.get(REPLIES) as OutgoingMessage[] | undefined) ?? [];
      // The dialog leaves the conversation's language on the turn (no second read).
      const decided = context.turnState.get(TURN_LANGUAGE) as Language | undefined;
      const lng = decided ?? (language && isLanguage(language) ? language : "zh-CN");
      return { replies: collected.map(toTurnReply), language: lng };
    },
  };
}

let shared: Bot | null = null;

/** The process's one bot, over the bundle's Prisma client. */
export function getBot(): Bot {
  shared ??= createBot({ db, now: () => new Date(), publicUrl: config().publicUrl });
  return shared;
}
