// The one Botkit controller: the web adapter, the database storage, the
// "lifeline" dialog, and `turn` which runs one message from either channel
// through it and returns the replies. Created once per process inside the
// server bundle (getBot), so it shares the Prisma client with the routes.
import { Botkit } from "botkit";
import { TurnContext } from "botbuilder";
import type { Channel } from "~/domain/bot";
import { isLanguage, type Language } from "~/i18n";
import { findConversation } from "~/models/conversation.server";
import { prismaBotStorage } from "~/models/bot-storage.server";
import { config } from "~/services/config.server";
import { db } from "~/services/db.server";
import { createLifelineDialog, DIALOG_ID } from "./dialog";
import type { BotDeps } from "./ports";
import { withTurnLock } from "./turn-lock";
import { LifelineWebAdapter, REPLIES, type OutgoingMessage } from "./web-adapter";

export interface TurnReply {
  text: string;
  quickReplies?: Array<{ title: string; payload: string }>;
}

export interface Bot {
  controller: Botkit;
  adapter: LifelineWebAdapter;
  /** One message in, the replies out (in order), after the state is saved. */
  turn(input: { channel: Channel; address: string; text: string; language?: Language }): Promise<{ replies: TurnReply[]; language: Language }>;
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
    storage: prismaBotStorage(deps.db),
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
    async turn({ channel, address, text, language }) {
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
      await withTurnLock(`${channel}:${address}`, () => adapter.runTurn(context, handle as never));
      const collected = (context.turnState.get(REPLIES) as OutgoingMessage[] | undefined) ?? [];
      const conversation = await findConversation(deps.db, channel, address);
      const lng = conversation?.language ?? (language && isLanguage(language) ? language : "zh-CN");
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
