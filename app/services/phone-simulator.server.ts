// The phone simulator's "send a text" (demo mode, /dev/sms): a text from a
// phone goes through the same assistant and outbox as one that arrived at
// /sms/twilio: stored, answered by the inbox worker, the replies queued in the
// outbox. It waits for that answer (up to SIMULATOR_WAIT_MS), so the page it
// redirects to shows the replies. A *.server file, so the page's browser
// bundle never pulls in Botkit.
import { getBot } from "../../bot/controller";
import { ensureSmsInbox, simulateText } from "../../bot/sms";
import { transcriptFor } from "../../bot";
import { db } from "./db.server";

/** Longest text accepted, as on the JSON API (ten SMS segments and more). */
export const SIMULATED_TEXT_MAX = 1600;

/** The replies, or null when the worker did not answer in time (they show on the page once it has). */
export async function simulateIncomingText(from: string, body: string): Promise<string[] | null> {
  return simulateText(db, ensureSmsInbox(db, getBot()), { from, body });
}

/** What the phone itself sent to the assistant (oldest first). */
export async function textsSentFrom(phone: string): Promise<Array<{ text: string; at: string }>> {
  return (await transcriptFor("sms", phone)).filter((line) => line.from === "resident").map(({ text, at }) => ({ text, at }));
}
