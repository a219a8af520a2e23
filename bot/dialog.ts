// The one Botkit dialog, "lifeline": a thin BotkitConversation whose single
// question loops. Each answer goes to the engine (app/domain/bot), which
// decides the replies and the next state; this file only loads the facts of
// the turn, keeps the engine's state in the dialog's variables (so Botkit's
// storage keeps it in the database) and sends the replies. The last reply is
// the question Botkit waits on; the others are said before it.
import { BotkitConversation, type Botkit, type BotWorker } from "botkit";
import { decide, initialState, type Channel, type DialogState } from "~/domain/bot";
import { isLanguage } from "~/i18n";
import { findConversation, recordTurn, type TranscriptEntry } from "~/models/conversation.server";
import { dbPorts, type BotDeps } from "./ports";
import { renderReply, type RenderedReply } from "./render";
import { turnClient } from "./turn-client";
import { CLIENT_IP } from "./web-adapter";

export const DIALOG_ID = "lifeline";
/** turnState key: the conversation's language after the turn (read back by Bot.turn). */
export const TURN_LANGUAGE = "lifelineLanguage";
/** Silence after which the next message starts afresh (issue 4). */
export const FRESH_AFTER_MS = 24 * 60 * 60_000;
/** A longer message is cut before it is kept in the transcript. */
const MAX_MESSAGE = 1000;

const STATE_VAR = "lifeline";
const LOOP = "loop";
const PROMPT_VAR = "prompt";
const QUICK_VAR = "quick";

interface Activityish {
  channelId?: string;
  from?: { id?: string };
  text?: string;
  channelData?: { language?: unknown };
}

/** Botkit's channel ids → the portal's: texts come in as "twilio-sms", all else is the web chat. */
export function channelOf(channelId: string | undefined): Channel {
  return channelId === "twilio-sms" ? "sms" : "chat";
}

interface DialogVars {
  vars: Record<string, unknown>;
  setVar(key: string, value: unknown): void;
}

async function takeTurn(deps: BotDeps, convo: DialogVars, bot: BotWorker): Promise<void> {
  const context = bot.getConfig("context") as { activity: Activityish; turnState: Map<unknown, unknown> };
  const activity = context.activity;
  const channel = channelOf(activity.channelId);
  const address = String(activity.from?.id ?? "");
  // A text's turn runs in its queue transaction (bot/sms.ts); a chat turn, on the bot's own client.
  const db = turnClient(deps.db, activity.channelId, address);
  const text = String(activity.text ?? "").slice(0, MAX_MESSAGE);
  const now = deps.now();

  const conversation = await findConversation(db, channel, address);
  const saved = convo.vars[STATE_VAR] as DialogState | undefined;
  const silent = conversation !== null && now.getTime() - conversation.lastMessageAt.getTime() > FRESH_AFTER_MS;
  const fresh = silent ? "resumed_after_silence" : saved ? false : "new";
  const hint = activity.channelData?.language;
  const state = saved ?? initialState(conversation?.language ?? (isLanguage(hint) ? hint : "zh-CN"));

  const residentLine: TranscriptEntry = { from: "resident", text, at: now.toISOString() };
  const previous = conversation?.transcript ?? [];
  const clientIp = (context.turnState.get(CLIENT_IP) as string | undefined) ?? null;
  const ports = dbPorts({ ...deps, db }, { channel, address, transcript: [...previous, residentLine], clientIp });
  const out = await decide(state, { text, channel, address, fresh }, ports);

  const replies = out.replies.map((reply) => renderReply(reply, out.state.language));
  await recordTurn(db, {
    channel,
    address,
    language: out.state.language,
    lines: [residentLine, ...replies.map((r): TranscriptEntry => ({ from: "bot", text: r.text, at: now.toISOString() }))],
    now,
    previous,
  });

  convo.setVar(STATE_VAR, out.state);
  context.turnState.set(TURN_LANGUAGE, out.state.language);
  const last: RenderedReply | undefined = replies[replies.length - 1];
  for (const reply of replies.slice(0, -1)) await bot.say(toMessage(reply));
  // An empty question (after STOP) is dropped by the adapters: nothing is sent.
  convo.setVar(PROMPT_VAR, last?.text ?? "");
  convo.setVar(QUICK_VAR, last?.quickReplies ?? []);
}

function toMessage(reply: RenderedReply): { text: string; channelData: { quick_replies?: RenderedReply["quickReplies"] } } {
  return { text: reply.text, channelData: reply.quickReplies ? { quick_replies: reply.quickReplies } : {} };
}

export function createLifelineDialog(controller: Botkit, deps: BotDeps): BotkitConversation {
  const convo = new BotkitConversation(DIALOG_ID, controller);
  // The message that started the dialog is answered like any other.
  convo.before("default", async (dialog, bot) => {
    await takeTurn(deps, dialog, bot);
  });
  // Then straight to the loop: a repeat at index 0 of "default" would run the before hook again.
  convo.addAction(LOOP);
  convo.addQuestion(
    {
      text: async (_line: unknown, vars: Record<string, unknown>) => String(vars[PROMPT_VAR] ?? ""),
      quick_replies: async (_line: unknown, vars: Record<string, unknown>) => (vars[QUICK_VAR] as RenderedReply["quickReplies"]) ?? [],
    } as never,
    async (_answer, dialog, bot) => {
      await takeTurn(deps, dialog, bot);
      await dialog.repeat();
    },
    "last_answer",
    LOOP,
  );
  return convo;
}
