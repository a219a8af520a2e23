// The "lifeline" dialog through Botkit's own BotkitTestClient, offline, in
// both languages: the controller, dialog and engine together, over the test
// database (call-backs, transcripts and opt-outs are really written).
import { BotkitTestClient } from "botkit";
import { beforeAll, describe, expect, it } from "vitest";
import { makeReference } from "~/domain/callback";
import { db, prepareDatabase } from "~/services/db.server";
import { createBot, type Bot } from "../../../bot/controller";
import { DIALOG_ID } from "../../../bot/dialog";

let bot: Bot;

beforeAll(async () => {
  await prepareDatabase();
  bot = createBot({ db, now: () => new Date(), publicUrl: "https://lifeline.test" });
});

interface Said {
  text: string;
  quick: Array<{ title: string; payload: string }>;
}

/** A phone texting the bot: each send returns every non-empty reply of that turn. */
function phone(number: string) {
  const client = new BotkitTestClient("twilio-sms", bot.controller, [DIALOG_ID]);
  return async (text: string): Promise<Said[]> => {
    const first = await client.sendActivity({ type: "message", text, from: { id: number, name: "resident" }, conversation: { id: number } } as never);
    const out: Said[] = [];
    for (let a = first; a; a = client.getNextReply()) {
      const activity = a as { text?: string; channelData?: { quick_replies?: Said["quick"] } };
      if (activity.text) out.push({ text: activity.text, quick: activity.channelData?.quick_replies ?? [] });
    }
    return out;
  };
}

const texts = (said: Said[]) => said.map((s) => s.text);

describe("in Chinese", () => {
  it("welcome, menu, the short check and its result", async () => {
    const send = phone("+8613800000001");
    const hello = await send("你好");
    expect(texts(hello)[0]).toContain("援手");
    expect(texts(hello)[1]).toContain("1 看看能得到哪些帮助");
    expect(hello[1].quick.map((q) => q.payload)).toEqual(["1", "2", "3", "4"]);

    expect(texts(await send("１"))).toEqual([expect.stringContaining("9个问题"), expect.stringContaining("（1/9）您家里一共住几个人")]);
    expect(texts(await send("一"))[0]).toContain("（2/9）您今年多少岁");
    expect(texts(await send("七十岁"))[0]).toContain("（3/9）");
    // An answer it cannot read: says so and asks again.
    expect(texts(await send("随便"))).toEqual([expect.stringContaining("对不起"), expect.stringContaining("（3/9）")]);
    for (const answer of ["3", "1", "1", "1", "2", "1"]) await send(answer);
    const result = texts(await send("1"));
    expect(result[0]).toContain("您可能可以得到");
    expect(result[0]).toContain("特困人员救助供养");
    expect(result[result.length - 1]).toContain("https://lifeline.test/apply");

    const row = await db.conversation.findUniqueOrThrow({ where: { id: "sms:+8613800000001" } });
    const transcript = JSON.parse(row.transcript) as Array<{ from: string; text: string }>;
    expect(transcript[0]).toMatchObject({ from: "resident", text: "你好" });
    expect(transcript.filter((l) => l.from === "resident")).toHaveLength(12);
  });

  it("人工 in the middle of the check queues a call-back carrying the whole conversation", async () => {
    const send = phone("+8613800000002");
    await send("1");
    await send("2");
    await send("45");
    const said = texts(await send("人工"));
    expect(said[0]).toMatch(/编号CB-/);
    const cb = await db.callbackRequest.findFirstOrThrow({ where: { phone: "+8613800000002" } });
    expect(cb.source).toBe("sms");
    expect(cb.language).toBe("zh-CN");
    const context = JSON.parse(cb.context) as Record<string, unknown>;
    expect(Object.keys(context)).toEqual(expect.arrayContaining(["channel", "phone", "language", "step", "answers", "transcript"]));
    expect(context).toMatchObject({ channel: "sms", phone: "+8613800000002", language: "zh-CN", step: "check", answers: { people: 2, age: 45 } });
    const transcript = context.transcript as Array<{ from: string; text: string; at: string }>;
    expect(transcript.map((l) => l.text)).toEqual(expect.arrayContaining(["1", "2", "45", "人工"]));
    expect(transcript.every((l) => typeof l.at === "string" && (l.from === "resident" || l.from === "bot"))).toBe(true);
  });

  it("three answers it cannot understand: a call-back is queued by itself", async () => {
    const send = phone("+8613800000003");
    await send("你好");
    expect(texts(await send("啊"))[0]).toContain("对不起");
    expect(texts(await send("哦"))[0]).toContain("回复0");
    expect(texts(await send("嗯嗯"))[0]).toContain("已经请工作人员");
    const cb = await db.callbackRequest.findFirstOrThrow({ where: { phone: "+8613800000003" } });
    expect(JSON.parse(cb.context)).toMatchObject({ reason: "not_understood", step: "menu" });
  });

  it("STOP: one confirmation, then silence (and no call-back), START resubscribes", async () => {
    const send = phone("+8613800000004");
    expect(texts(await send("退订"))).toEqual([expect.stringContaining("不会再给您发短信")]);
    expect(await db.smsOptOut.findUnique({ where: { phone: "+8613800000004" } })).not.toBeNull();
    expect(await send("1")).toEqual([]);
    expect(await send("人工")).toEqual([]);
    expect(await db.callbackRequest.count({ where: { phone: "+8613800000004" } })).toBe(0);
    const back = texts(await send("START"));
    expect(back[0]).toContain("重新收到");
    expect(await db.smsOptOut.findUnique({ where: { phone: "+8613800000004" } })).toBeNull();
  });
});

describe("in English", () => {
  it("EN switches at any point and the questions follow", async () => {
    const send = phone("+8613800000005");
    await send("1");
    const switched = texts(await send("EN"));
    expect(switched).toEqual(["OK, we will write in English.", expect.stringContaining("(1/9) How many people live in your home?")]);
    expect(texts(await send("3"))[0]).toContain("(2/9) How old are you?");
    expect(texts(await send("don't know"))[0]).toContain("(3/9)");
    const back = texts(await send("中文"));
    expect(back[1]).toContain("（3/9）");
  });

  it("call me back: this number, a time, a reference", async () => {
    const send = phone("+8613800000006");
    await send("EN");
    expect(texts(await send("3"))[0]).toContain("138****0006");
    expect(texts(await send("yes"))[0]).toContain("When is the best time");
    const done = texts(await send("3"));
    expect(done[0]).toMatch(/Your reference is CB-/);
    const cb = await db.callbackRequest.findFirstOrThrow({ where: { phone: "+8613800000006" } });
    expect(cb).toMatchObject({ source: "sms", language: "en", bestTime: "evening" });
  });

  it("my case: reference, then a code texted to this phone", async () => {
    const send = phone("+8613800000007");
    await send("EN");
    expect(texts(await send("2"))[0]).toContain("reference");
    expect(texts(await send(makeReference("LA")))[0]).toContain("138****0007");
    expect(texts(await send("12"))[0]).toContain("6 numbers");
  });
});
