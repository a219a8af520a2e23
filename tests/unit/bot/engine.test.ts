// The dialog decisions, with fake ports: the menu, the short check, keywords
// in several states, misunderstandings, STOP/START and starting afresh.
import { beforeEach, describe, expect, it } from "vitest";
import { makeReference } from "~/domain/callback";
import { decide, initialState, SHORT_CHECK, type BotPorts, type CallbackRequestInput, type DialogState, type TurnInput } from "~/domain/bot";

let callbacks: CallbackRequestInput[];
let optedOut: string[];
let optedIn: string[];

const ports: BotPorts = {
  publicUrl: "https://example.test",
  today: () => "2026-11-29",
  normalizePhone: (raw) => (/^1\d{10}$/.test(raw.replace(/\s/g, "")) ? `+86${raw.replace(/\s/g, "")}` : null),
  maskPhone: (p) => `${p.slice(0, 6)}****`,
  async queueCallback(input) {
    callbacks.push(input);
    return { ok: true, reference: "CB-2222-3333" };
  },
  async optOut(phone) {
    optedOut.push(phone);
  },
  async optIn(phone) {
    optedIn.push(phone);
  },
  async requestCaseCode(reference) {
    return reference === REF ? "sent" : "invalid";
  },
  async checkCaseCode(_ref, _phone, code) {
    return code === "123456" ? { ok: true, status: "screening" } : { ok: false, error: "wrong" };
  },
};

const REF = makeReference("LA");
const SMS = { channel: "sms" as const, address: "+8613800138000" };
const CHAT = { channel: "chat" as const, address: "browser-1" };

async function run(texts: string[], start: DialogState = initialState("zh-CN"), base: Omit<TurnInput, "text" | "fresh"> = SMS) {
  let state = start;
  const all: string[][] = [];
  for (const [i, text] of texts.entries()) {
    const out = await decide(state, { ...base, text, fresh: i === 0 && start === undefined ? "new" : false }, ports);
    state = out.state;
    all.push(out.replies.map((r) => r.key));
  }
  return { state, keys: all };
}

beforeEach(() => {
  callbacks = [];
  optedOut = [];
  optedIn = [];
});

describe("a new conversation", () => {
  it("welcomes and shows the menu", async () => {
    const out = await decide(initialState("zh-CN"), { ...SMS, text: "你好", fresh: "new" }, ports);
    expect(out.replies.map((r) => r.key)).toEqual(["welcome", "menu"]);
    expect(out.state.misunderstood).toBe(0);
  });
  it("takes a menu number as the first message", async () => {
    const out = await decide(initialState("zh-CN"), { ...SMS, text: "１", fresh: "new" }, ports);
    expect(out.replies.map((r) => r.key)).toEqual(["welcome", "check.intro", "check.people"]);
    expect(out.state.step).toBe("check");
  });
  it("after 24 hours of silence starts afresh, politely", async () => {
    const midCheck: DialogState = { ...initialState("en"), step: "check", question: 4, answers: { people: 2 } };
    const out = await decide(midCheck, { ...SMS, text: "1", fresh: "resumed_after_silence" }, ports);
    expect(out.replies[0].key).toBe("welcomeBack");
    expect(out.state.step).toBe("check");
    expect(out.state.question).toBe(0);
    expect(out.state.answers).toEqual({});
    expect(out.state.language).toBe("en");
  });
});

describe("the short check", () => {
  it("asks about eight questions and gives likely programmes with the apply link", async () => {
    const { state, keys } = await run(["1", "1", "七十", "3", "1", "1", "1", "2", "1", "1"]);
    expect(keys.slice(1, SHORT_CHECK.length).map((k) => k[0])).toEqual(SHORT_CHECK.slice(1).map((q) => `check.${q.id}`));
    const last = keys[keys.length - 1];
    expect(last).toContain("check.resultEligible");
    expect(last[last.length - 1]).toBe("check.next");
    expect(state.step).toBe("menu");
    expect(state.answers).toEqual({ people: 1, age: 70, work: 3, income: 1, savings: 1, assets: 1, supporter: 2, student: 1, emergency: 1 });
  });
  it("accepts don't know (9 or words) and sends unclear programmes for review", async () => {
    const out = await decide({ ...initialState("zh-CN"), step: "check", question: 2, answers: { people: 1, age: 40 } }, { ...SMS, text: "9", fresh: false }, ports);
    expect(out.state.answers.work).toBe("unknown");
    const done = await run(["不知道", "不知道", "9", "9", "9", "9"], out.state);
    expect(done.keys[5]).toContain("check.resultReview");
  });
  it("re-asks an answer out of range", async () => {
    const out = await decide({ ...initialState("zh-CN"), step: "check", question: 2 }, { ...SMS, text: "7", fresh: false }, ports);
    expect(out.replies.map((r) => r.key)).toEqual(["notUnderstood.choice", "check.work"]);
    expect(out.state.question).toBe(2);
  });
});

describe("keywords work in every state", () => {
  const states: Array<[string, DialogState]> = [
    ["menu", initialState("zh-CN")],
    ["check", { ...initialState("zh-CN"), step: "check", question: 3, answers: { people: 2, age: 50, work: 2 } }],
    ["case reference", { ...initialState("zh-CN"), step: "case.reference" }],
    ["call-back time", { ...initialState("zh-CN"), step: "callback.time", callbackPhone: SMS.address }],
  ];
  for (const [name, state] of states) {
    it(`人工 in ${name} queues a call-back with the step and answers`, async () => {
      const out = await decide(state, { ...SMS, text: "人工", fresh: false }, ports);
      expect(callbacks).toHaveLength(1);
      expect(callbacks[0]).toMatchObject({ phone: SMS.address, reason: "asked", state: { step: state.step, answers: state.answers } });
      expect(out.replies.map((r) => r.key)).toEqual(["callback.queued"]);
      expect(out.state.step).toBe("menu");
    });
    it(`EN in ${name} switches language and asks the same again`, async () => {
      const out = await decide(state, { ...SMS, text: "EN", fresh: false }, ports);
      expect(out.state.language).toBe("en");
      expect(out.state.step).toBe(state.step);
      expect(out.replies[0].key).toBe("language.changed");
    });
  }
  it("0 in the chat asks for a number first, then queues", async () => {
    const { keys, state } = await run(["0", "13900139000"], { ...initialState("en"), step: "check", question: 1, answers: { people: 3 } }, CHAT);
    expect(keys[0]).toEqual(["agent.askPhone"]);
    expect(keys[1]).toEqual(["callback.queued"]);
    expect(callbacks[0]).toMatchObject({ phone: "+8613900139000", reason: "asked", state: { step: "agent.phone", answers: { people: 3 } } });
    expect(state.step).toBe("menu");
  });
});

describe("misunderstood answers", () => {
  it("offers a person on the second and queues a call-back on the third", async () => {
    const { keys } = await run(["x", "y", "z"]);
    expect(keys[0]).toEqual(["notUnderstood.choice", "menu"]);
    expect(keys[1]).toEqual(["notUnderstood.offerPerson", "menu"]);
    expect(keys[2]).toEqual(["notUnderstood.queued"]);
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0].reason).toBe("not_understood");
  });
  it("an understood answer resets the count", async () => {
    const { keys } = await run(["x", "y", "1", "z"]);
    expect(keys[3][0]).toBe("notUnderstood.number");
    expect(callbacks).toHaveLength(0);
  });
});

describe("STOP and START", () => {
  it("STOP confirms once, then nothing is sent until START", async () => {
    const { keys, state } = await run(["STOP", "1", "人工", "退订"]);
    expect(keys).toEqual([["stop.done"], [], [], []]);
    expect(optedOut).toEqual([SMS.address]);
    expect(callbacks).toHaveLength(0);
    expect(state.optedOut).toBe(true);
    const back = await run(["START"], state);
    expect(back.keys[0]).toEqual(["start.done", "menu"]);
    expect(optedIn).toEqual([SMS.address]);
  });
  it("STOP in the chat opts nobody out", async () => {
    const { keys } = await run(["stop"], initialState("en"), CHAT);
    expect(keys[0]).toEqual(["stop.chat"]);
    expect(optedOut).toEqual([]);
  });
});

describe("my case and call me back", () => {
  it("reference → code → status, by text", async () => {
    const { keys } = await run(["2", ` ${REF.toLowerCase().replace(/-/g, " ")} `, "123456"]);
    expect(keys).toEqual([["case.askReference"], ["case.codeSent"], ["status.screening", "case.after"]]);
  });
  it("a wrong code can be tried again", async () => {
    const { keys, state } = await run(["2", REF, "111111"]);
    expect(keys[2]).toEqual(["case.wrongCode"]);
    expect(state.step).toBe("case.code");
  });
  it("call me back on this number at a chosen time", async () => {
    const { keys } = await run(["3", "是", "2"]);
    expect(keys).toEqual([["callback.confirm"], ["callback.askTime"], ["callback.queued"]]);
    expect(callbacks[0]).toMatchObject({ phone: SMS.address, bestTime: "afternoon", reason: "menu" });
  });
  it("call me back on another number", async () => {
    await run(["3", "2", "139 0013 9000", "四"]);
    expect(callbacks[0]).toMatchObject({ phone: "+8613900139000", bestTime: "any" });
  });
  it("language from the menu", async () => {
    const { state, keys } = await run(["4", "2"]);
    expect(state.language).toBe("en");
    expect(keys[1]).toEqual(["language.changed", "menu"]);
  });
});
