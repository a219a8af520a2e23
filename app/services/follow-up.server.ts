// The follow-up job and the texted answers (issue 9). The job runs from the
// background sweeps (every 10 minutes, on every app instance: each step is a
// conditional claim in app/models/follow-up.server.ts, so nothing goes
// twice). answerFollowUpText is the step the SMS inbox runs before the
// assistant's dialogs: while a follow-up question is open for the phone, a
// digit answers it ("did you get the help? 1 yes 2 no", then "1 (bad) to 5
// (very good)", then a comment or 0); otherwise it returns null and the
// dialogs answer the text as before.
import { detectKeyword } from "~/domain/bot/keywords";
import { isSkip, readHelpArrived, readSatisfaction, tidyComment } from "~/domain/follow-up/answers";
import type { Language } from "~/i18n";
import {
  followUpSms,
  openSmsFollowUp,
  recordSmsComment,
  recordSmsHelpArrived,
  recordSmsSatisfaction,
  sweepFollowUps,
  type FollowUpSweepReport,
} from "~/models/follow-up.server";
import { config, type FollowUpSettings } from "./config.server";
import type { Db } from "./db.server";

/** One pass: close what went unanswered, remind, ask what is due. */
export function runFollowUps(db: Db, now: Date = new Date(), settings: FollowUpSettings = config().followUp): Promise<FollowUpSweepReport> {
  return sweepFollowUps(db, now, { reminderDays: settings.reminderDays });
}

export interface FollowUpTurn {
  replies: string[];
  language: Language;
}

/**
 * A text from `phone` read as a follow-up answer, recorded, and the replies
 * to send; null when no follow-up question is open for the phone or the text
 * is a word the assistant always handles (STOP, START, a person, a language):
 * the caller then runs its dialogs as usual. Runs on the inbox's transaction
 * client, so the answer and its replies commit together.
 */
export async function answerFollowUpText(client: Db, phone: string, body: string, now: Date = new Date()): Promise<FollowUpTurn | null> {
  const keyword = detectKeyword(body);
  // "0" is "a person" everywhere but the comment step, where it skips the comment.
  if (keyword !== null && keyword !== "agent") return null;
  const open = await openSmsFollowUp(client, phone, now);
  if (!open) return null;
  const { language } = open;
  const say = (key: Parameters<typeof followUpSms>[1]) => followUpSms(language, key, { service: open.serviceName });
  if (open.step === "comment") {
    const comment = isSkip(body) ? null : tidyComment(body);
    await recordSmsComment(client, open, comment === "" ? null : comment, now);
    return { replies: [say("thanks"), ...(await nextQuestion(client, phone, now))], language };
  }
  if (keyword === "agent") return null;
  if (open.step === "helpArrived") {
    const arrived = readHelpArrived(body);
    if (arrived === null) return { replies: [say("hintHelp")], language };
    const actor = "resident";
    await recordSmsHelpArrived(client, open, arrived, actor, now);
    return { replies: [say(arrived ? "satisfaction" : "satisfactionNotArrived")], language };
  }
  const score = readSatisfaction(body);
  if (score === null) return { replies: [say("hintSatisfaction")], language };
  await recordSmsSatisfaction(client, open, score, now);
  return { replies: [say("comment")], language };
}

/** After one follow-up is done: the next open question for this phone, if any (several services in one plan). */
async function nextQuestion(client: Db, phone: string, now: Date): Promise<string[]> {
  const next = await openSmsFollowUp(client, phone, now);
  if (!next || next.step !== "helpArrived") return [];
  return [followUpSms(next.language, "ask", { service: next.serviceName })];
}
