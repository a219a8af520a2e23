// The assistant's decisions, as plain TypeScript: given the stored state and
// what the resident typed, what to reply and what to do. The Botkit layer in
// bot/ only carries messages in and out and supplies the ports (database
// work); the same engine serves chat and SMS, in Chinese and English.
import { isValidReference, normalizeReference, REFERENCE_PREFIX, type BestTime } from "~/domain/callback";
import type { CaseStatus } from "~/domain/case";
import type { ProgramCode } from "~/domain/eligibility";
import type { Language } from "~/i18n";
import { detectKeyword } from "./keywords";
import { cleanAnswer, parseNumber, parseYesNo } from "./normalize";
import { SHORT_CHECK, readShortAnswer, shortCheckResult, type ShortAnswers } from "./short-check";

export type Channel = "chat" | "sms";

export type StepId =
  | "menu"
  | "check"
  | "case.reference"
  | "case.phone"
  | "case.code"
  | "callback.confirm"
  | "callback.phone"
  | "callback.time"
  | "agent.phone"
  | "language";

export interface DialogState {
  step: StepId;
  language: Language;
  /** index into SHORT_CHECK while step is "check" */
  question: number;
  answers: ShortAnswers;
  /** answers in a row the bot could not understand */
  misunderstood: number;
  caseReference?: string;
  casePhone?: string;
  callbackPhone?: string;
  /** why a call-back is being set up (agent.phone) */
  callbackReason?: CallbackReason;
  /** STOP was texted: nothing is sent until START */
  optedOut: boolean;
}

export type CallbackReason = "asked" | "not_understood" | "menu";

export interface Reply {
  /** key in the "bot" namespace */
  key: string;
  params?: Record<string, string | number>;
  /** rendered as a list of programme names (rules namespace) into {{programs}} */
  programs?: ProgramCode[];
  /** chat buttons: label key in "bot", and the text they send */
  quick?: Array<{ key: string; payload: string }>;
}

export interface CallbackRequestInput {
  /** E.164; the texting phone for SMS, or what the resident gave */
  phone: string;
  bestTime: BestTime | null;
  reason: CallbackReason;
  /** the state when the call-back was asked for (step reached, answers so far) */
  state: DialogState;
}

export type CaseCodeCheck = { ok: true; status: CaseStatus } | { ok: false; error: "wrong" | "expired" | "used" };

/** What the engine needs from the outside world; bot/ implements it over the database. */
export interface BotPorts {
  /** limited: over the call-back limits (nothing queued); wait says for how long, in words */
  queueCallback(input: CallbackRequestInput): Promise<{ ok: true; reference: string } | { ok: false; limited?: { wait: string } }>;
  optOut(phone: string): Promise<void>;
  optIn(phone: string): Promise<void>;
  /** Texts a code to the phone when it belongs to the case; the same answer either way. */
  requestCaseCode(reference: string, phone: string): Promise<"sent" | "invalid" | "rate_limited">;
  checkCaseCode(reference: string, phone: string, code: string): Promise<CaseCodeCheck>;
  /** "2026-11-29" (Asia/Shanghai) for the rules' date */
  today(): string;
  /** a mobile number as typed → E.164, or null */
  normalizePhone(raw: string): string | null;
  /** "138****5678" */
  maskPhone(phone: string): string;
  /** the portal's web address for links (PUBLIC_URL) */
  publicUrl: string;
}

export interface TurnInput {
  text: string;
  channel: Channel;
  /** sms: the sender's E.164 phone; chat: the browser's id */
  address: string;
  /** no state yet, or 24 hours of silence: start afresh */
  fresh: "new" | "resumed_after_silence" | false;
}

export interface TurnOutput {
  state: DialogState;
  replies: Reply[];
}

export function initialState(language: Language): DialogState {
  return { step: "menu", language, question: 0, answers: {}, misunderstood: 0, optedOut: false };
}

const MENU_QUICK = [
  { key: "quick.check", payload: "1" },
  { key: "quick.case", payload: "2" },
  { key: "quick.callback", payload: "3" },
  { key: "quick.language", payload: "4" },
];
const YES_NO_QUICK = [
  { key: "quick.yes", payload: "1" },
  { key: "quick.otherNumber", payload: "2" },
];
const TIME_QUICK = [
  { key: "quick.morning", payload: "1" },
  { key: "quick.afternoon", payload: "2" },
  { key: "quick.evening", payload: "3" },
  { key: "quick.anyTime", payload: "4" },
];
const LANGUAGE_QUICK = [
  { key: "quick.chinese", payload: "1" },
  { key: "quick.english", payload: "2" },
];
const BEST_TIMES: readonly BestTime[] = ["morning", "afternoon", "evening", "any"];

const MAX_MISUNDERSTOOD = 3;

function menu(): Reply {
  return { key: "menu", quick: MENU_QUICK };
}

/** The question for the current step, asked again after a keyword or a misunderstanding. */
export function promptFor(state: DialogState, input: Pick<TurnInput, "channel" | "address">, ports: Pick<BotPorts, "maskPhone">): Reply {
  switch (state.step) {
    case "menu":
      return menu();
    case "check": {
      const q = SHORT_CHECK[state.question];
      return { key: `check.${q.id}`, params: { n: state.question + 1, total: SHORT_CHECK.length } };
    }
    case "case.reference":
      return { key: "case.askReference" };
    case "case.phone":
      return { key: "case.askPhone" };
    case "case.code":
      return { key: "case.askCode" };
    case "callback.confirm":
      return { key: "callback.confirm", params: { phone: ports.maskPhone(input.address) }, quick: YES_NO_QUICK };
    case "callback.phone":
    case "agent.phone":
      return { key: "callback.askPhone" };
    case "callback.time":
      return { key: "callback.askTime", quick: TIME_QUICK };
    case "language":
      return { key: "language.ask", quick: LANGUAGE_QUICK };
  }
}

function toMenu(state: DialogState): DialogState {
  return { ...state, step: "menu", question: 0, misunderstood: 0, caseReference: undefined, casePhone: undefined, callbackPhone: undefined, callbackReason: undefined };
}

/** One turn of the conversation. */
export async function decide(stateIn: DialogState, input: TurnInput, ports: BotPorts): Promise<TurnOutput> {
  let state: DialogState = { ...stateIn, answers: { ...stateIn.answers } };
  const replies: Reply[] = [];
  const keyword = detectKeyword(input.text);
  const sms = input.channel === "sms";

  // After STOP nothing more is sent, whatever arrives, until START.
  if (state.optedOut && keyword !== "start") return { state, replies };

  if (input.fresh) {
    state = { ...initialState(state.language), optedOut: state.optedOut };
    replies.push({ key: input.fresh === "new" ? "welcome" : "welcomeBack" });
  }

  switch (keyword) {
    case "stop":
      if (sms) {
        await ports.optOut(input.address);
        return { state: { ...toMenu(state), optedOut: true }, replies: [{ key: "stop.done" }] };
      }
      return { state, replies: [{ key: "stop.chat" }] };
    case "start":
      if (sms) await ports.optIn(input.address);
      state = { ...toMenu(state), optedOut: false };
      return { state, replies: [{ key: "start.done" }, menu()] };
    case "english":
    case "chinese": {
      state = { ...state, language: keyword === "english" ? "en" : "zh-CN" };
      return { state, replies: [{ key: "language.changed" }, promptFor(state, input, ports)] };
    }
    case "agent":
      return askForPerson(state, input, ports, "asked", replies);
    default:
      break;
  }

  // A fresh start: the first message may already be a menu choice ("1"); anything else gets the menu.
  if (input.fresh && menuChoice(input.text) === null) return { state, replies: [...replies, menu()] };

  const step = await answer(state, input, ports);
  if (step === "not_understood") return notUnderstood(state, input, ports, replies);
  return { state: { ...step.state, misunderstood: 0 }, replies: [...replies, ...step.replies] };
}

function menuChoice(text: string): number | null {
  const n = parseNumber(text);
  return n !== null && n >= 1 && n <= 4 ? n : null;
}

async function askForPerson(state: DialogState, input: TurnInput, ports: BotPorts, reason: CallbackReason, before: Reply[]): Promise<TurnOutput> {
  if (input.channel === "sms") return queueCallback(state, input, ports, input.address, null, reason, before);
  // The chat has no phone number: ask for one, then queue.
  return { state: { ...state, step: "agent.phone", callbackReason: reason, misunderstood: 0 }, replies: [...before, { key: reason === "asked" ? "agent.askPhone" : "notUnderstood.askPhone" }] };
}

async function queueCallback(
  state: DialogState,
  input: TurnInput,
  ports: BotPorts,
  phone: string,
  bestTime: BestTime | null,
  reason: CallbackReason,
  before: Reply[],
): Promise<TurnOutput> {
  const result = await ports.queueCallback({ phone, bestTime, reason, state });
  const next = toMenu(state);
  if (!result.ok && result.limited) return { state: next, replies: [...before, { key: "callback.rateLimited", params: { wait: result.limited.wait } }] };
  if (!result.ok) return { state: next, replies: [...before, { key: "callback.failed" }] };
  const key = reason === "not_understood" ? "notUnderstood.queued" : "callback.queued";
  return { state: next, replies: [...before, { key, params: { reference: result.reference, phone: ports.maskPhone(phone) } }] };
}

async function notUnderstood(state: DialogState, input: TurnInput, ports: BotPorts, before: Reply[]): Promise<TurnOutput> {
  const count = state.misunderstood + 1;
  if (count >= MAX_MISUNDERSTOOD) return askForPerson({ ...state, misunderstood: 0 }, input, ports, "not_understood", before);
  const next = { ...state, misunderstood: count };
  const sorry: Reply = { key: count === 1 ? `notUnderstood.${hintFor(state)}` : "notUnderstood.offerPerson" };
  return { state: next, replies: [...before, sorry, promptFor(next, input, ports)] };
}

/** The first "sorry" says what kind of answer fits this step. */
function hintFor(state: DialogState): string {
  switch (state.step) {
    case "check":
      return SHORT_CHECK[state.question].kind === "number" ? "number" : "choice";
    case "case.reference":
      return "reference";
    case "case.code":
      return "code";
    case "case.phone":
    case "callback.phone":
    case "agent.phone":
      return "phone";
    default:
      return "choice";
  }
}

type StepResult = { state: DialogState; replies: Reply[] } | "not_understood";


async function answer(state: DialogState, input: TurnInput, ports: BotPorts): Promise<StepResult> {
  const text = input.text;
  switch (state.step) {
    case "menu": {
      const choice = menuChoice(text);
      if (choice === 1) {
        const next = { ...state, step: "check" as const, question: 0, answers: {} };
        return { state: next, replies: [{ key: "check.intro", params: { total: SHORT_CHECK.length } }, promptFor(next, input, ports)] };
      }
      if (choice === 2) return { state: { ...state, step: "case.reference" }, replies: [{ key: "case.askReference" }] };
      if (choice === 3) {
        if (input.channel === "sms") {
          const next = { ...state, step: "callback.confirm" as const };
          return { state: next, replies: [promptFor(next, input, ports)] };
        }
        return { state: { ...state, step: "callback.phone" }, replies: [{ key: "callback.askPhone" }] };
      }
      if (choice === 4) return { state: { ...state, step: "language" }, replies: [promptFor({ ...state, step: "language" }, input, ports)] };
      return "not_understood";
    }
    case "check": {
      const q = SHORT_CHECK[state.question];
      const value = readShortAnswer(q, text);
      if (value === null) return "not_understood";
      const answers = { ...state.answers, [q.id]: value };
      const index = state.question + 1;
      if (index < SHORT_CHECK.length) {
        const next = { ...state, answers, question: index };
        return { state: next, replies: [promptFor(next, input, ports)] };
      }
      const result = shortCheckResult(answers, ports.today());
      const done: DialogState = { ...toMenu(state), answers };
      const replies: Reply[] = [];
      if (result.eligible.length > 0) replies.push({ key: "check.resultEligible", programs: result.eligible });
      if (result.review.length > 0) replies.push({ key: "check.resultReview", programs: result.review });
      if (replies.length === 0) replies.push({ key: "check.resultNone" });
      replies.push({ key: "check.next", params: { url: `${ports.publicUrl}/apply` } });
      return { state: done, replies };
    }
    case "case.reference": {
      const reference = normalizeReference(cleanAnswer(text));
      if (!isValidReference(reference, REFERENCE_PREFIX.application)) return "not_understood";
      if (input.channel === "chat") return { state: { ...state, step: "case.phone", caseReference: reference }, replies: [{ key: "case.askPhone" }] };
      return sendCaseCode({ ...state, caseReference: reference }, input.address, ports);
    }
    case "case.phone": {
      const phone = ports.normalizePhone(text);
      if (!phone) return "not_understood";
      return sendCaseCode({ ...state, casePhone: phone }, phone, ports);
    }
    case "case.code": {
      const code = cleanAnswer(text).replace(/\s+/g, "");
      if (!/^\d{6}$/.test(code)) return "not_understood";
      const phone = input.channel === "sms" ? input.address : (state.casePhone ?? "");
      const check = await ports.checkCaseCode(state.caseReference ?? "", phone, code);
      if (!check.ok) {
        if (check.error === "wrong") return { state, replies: [{ key: "case.wrongCode" }] };
        return { state: toMenu(state), replies: [{ key: `case.${check.error === "expired" ? "expiredCode" : "usedCode"}` }, menu()] };
      }
      return { state: toMenu(state), replies: [{ key: `status.${check.status}`, params: { reference: state.caseReference ?? "" } }, { key: "case.after" }] };
    }
    case "callback.confirm": {
      const n = parseNumber(text);
      const yn = parseYesNo(text);
      if (n === 1 || yn === "yes") {
        const next = { ...state, step: "callback.time" as const, callbackPhone: input.address };
        return { state: next, replies: [promptFor(next, input, ports)] };
      }
      if (n === 2 || yn === "no") return { state: { ...state, step: "callback.phone" }, replies: [{ key: "callback.askPhone" }] };
      return "not_understood";
    }
    case "callback.phone": {
      const phone = ports.normalizePhone(text);
      if (!phone) return "not_understood";
      const next = { ...state, step: "callback.time" as const, callbackPhone: phone };
      return { state: next, replies: [promptFor(next, input, ports)] };
    }
    case "callback.time": {
      const n = parseNumber(text);
      if (n === null || n < 1 || n > BEST_TIMES.length) return "not_understood";
      const phone = state.callbackPhone ?? input.address;
      return queueCallback(state, input, ports, phone, BEST_TIMES[n - 1], "menu", []);
    }
    case "agent.phone": {
      const phone = ports.normalizePhone(text);
      if (!phone) return "not_understood";
      return queueCallback(state, input, ports, phone, null, state.callbackReason ?? "asked", []);
    }
    case "language": {
      const n = parseNumber(text);
      if (n !== 1 && n !== 2) return "not_understood";
      const next = { ...toMenu(state), language: n === 1 ? ("zh-CN" as const) : ("en" as const) };
      return { state: next, replies: [{ key: "language.changed" }, menu()] };
    }
  }
}

async function sendCaseCode(state: DialogState, phone: string, ports: BotPorts): Promise<StepResult> {
  const sent = await ports.requestCaseCode(state.caseReference ?? "", phone);
  if (sent === "rate_limited") return { state: toMenu(state), replies: [{ key: "case.rateLimited" }, menu()] };
  if (sent === "invalid") return "not_understood";
  return { state: { ...state, step: "case.code" }, replies: [{ key: "case.codeSent", params: { phone: ports.maskPhone(phone) } }] };
}
