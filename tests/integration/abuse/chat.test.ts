// Chat messages behind the abuse limits: per visitor (the browser's id) and
// per IP, on every way in: the /chat form without script, /chat/send (the
// page's script), Botkit's webhook POST /chat/messages and the websocket. Over
// a limit the resident is told to slow down, in plain words and their
// language, and the message is not run through the bot (not in the transcript).
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import WebSocket from "ws";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../../../bot/controller";
import { attachChatSocket, botRouter } from "../../../bot/http";
import { action as chatAction } from "~/routes/chat";
import { action as sendAction } from "~/routes/chat_.send";
import { ABUSE_LIMITS, limitChatMessage } from "~/services/abuse-limits.server";
import { db, prepareDatabase } from "~/services/db.server";
import { callRoute, formPost, ip, realClock, setClock, windowStart } from "./helpers";

const PER_VISITOR = ABUSE_LIMITS.chatPerVisitor.limit;
const PER_IP = ABUSE_LIMITS.chatPerIp.limit;
const FIVE_MINUTES = ABUSE_LIMITS.chatPerVisitor.windowMs;

let server: http.Server;
let port: number;

beforeAll(async () => {
  await prepareDatabase();
  const bot = createBot({ db, now: () => new Date(), publicUrl: "https://lifeline.test" });
  const app = express();
  app.set("trust proxy", "loopback");
  app.use(botRouter({ db, bot, inbox: () => null }));
  server = http.createServer(app);
  attachChatSocket(server, bot);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => realClock());

async function residentLines(channelAddress: string): Promise<string[]> {
  const row = await db.conversation.findUnique({ where: { id: channelAddress }, select: { transcript: true } });
  return row ? (JSON.parse(row.transcript) as Array<{ from: string; text: string }>).filter((l) => l.from === "resident").map((l) => l.text) : [];
}

/** A browser without script: the cookie from the first answer, then each message posted to /chat. */
class Browser {
  cookie = "";
  constructor(readonly lng: "en" | "zh-CN", readonly from: string | null) {}
  async say(handler: typeof chatAction, path: string, text: string) {
    const answer = await callRoute(handler, formPost(`http://localhost${path}?lng=${this.lng}`, { text }, this.cookie ? { Cookie: this.cookie } : {}), {
      ip: this.from,
    });
    const setCookie = answer.headers.get("Set-Cookie");
    if (setCookie) this.cookie = setCookie.split(";")[0];
    return answer;
  }
  async visitorId(): Promise<string> {
    const rows = await db.conversation.findMany({ where: { channel: "chat" }, select: { address: true, transcript: true } });
    const mine = rows.find((r) => r.transcript.includes(`"first from ${this.from}"`));
    if (!mine) throw new Error("no conversation");
    return mine.address;
  }
}

describe("the /chat page (no script) and /chat/send (script)", () => {
  it(`answers ${PER_VISITOR} messages from one browser in 5 minutes; the next is 429 and not run through the bot; the window ends`, async () => {
    setClock(windowStart(0));
    const browser = new Browser("en", ip(1));
    expect((await browser.say(chatAction, "/chat", `first from ${ip(1)}`)).status).toBe(303);
    for (let i = 1; i < PER_VISITOR; i++) expect((await browser.say(chatAction, "/chat", `message ${i}`)).status).toBe(303);
    const address = `chat:${await browser.visitorId()}`;
    expect(await residentLines(address)).toHaveLength(PER_VISITOR);

    const refused = await browser.say(chatAction, "/chat", "one too many");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("300");
    expect(refused.data).toEqual({ error: "You are sending messages very fast. Please wait 5 minutes, then send your message again.", text: "one too many" });
    const byScript = await browser.say(sendAction, "/chat/send", "and by script");
    expect(byScript.status).toBe(429);
    expect(byScript.data).toEqual({ error: expect.stringContaining("Please wait 5 minutes") });
    expect(await residentLines(address)).not.toContain("one too many");
    expect(await residentLines(address)).not.toContain("and by script");
    expect(await residentLines(address)).toHaveLength(PER_VISITOR);

    // Another browser on the same network is not affected.
    const neighbour = new Browser("zh-CN", ip(1));
    expect((await neighbour.say(sendAction, "/chat/send", "你好")).status).toBe(200);

    setClock(windowStart(0) + FIVE_MINUTES);
    expect((await browser.say(chatAction, "/chat", "after the break")).status).toBe(303);
    expect(await residentLines(address)).toContain("after the break");
  });

  it(`stops one address after ${PER_IP} messages in 5 minutes, whatever browsers it uses, in Chinese too`, async () => {
    setClock(windowStart(1));
    const from = ip(2);
    // Earlier messages from other browsers at this address.
    for (let i = 0; i < PER_IP; i++) expect((await limitChatMessage({ visitor: `other-browser-${i}`, ip: from })).ok).toBe(true);
    const browser = new Browser("zh-CN", from);
    const refused = await browser.say(chatAction, "/chat", "你好");
    expect(refused.status).toBe(429);
    expect(refused.data).toMatchObject({ error: "您发消息太快了。请等5 分钟后再发。" });
    expect(await db.conversation.count({ where: { transcript: { contains: "你好" }, lastMessageAt: { gte: new Date(windowStart(1)) } } })).toBe(0);
    // Another address is not affected.
    expect((await new Browser("zh-CN", ip(3)).say(chatAction, "/chat", `first from ${ip(3)}`)).status).toBe(303);
  });
});

describe("POST /chat/messages (Botkit's webhook)", () => {
  it("answers 429 with the slow-down message in the reply format, Retry-After, and no turn", async () => {
    setClock(windowStart(2));
    const user = "webhook-visitor-1";
    const post = (text: string, forwardedFor: string) =>
      fetch(`http://127.0.0.1:${port}/chat/messages`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Forwarded-For": forwardedFor },
        body: JSON.stringify({ type: "message", user, channel: user, text, language: "en" }),
      });
    expect((await post("hello", ip(4))).status).toBe(200);
    for (let i = 1; i < PER_VISITOR; i++) await limitChatMessage({ visitor: user, ip: null });
    const refused = await post("too many", ip(4));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("300");
    expect(await refused.json()).toEqual([{ type: "message", text: "You are sending messages very fast. Please wait 5 minutes, then try again." }]);
    expect(await residentLines(`chat:${user}`)).toEqual(["hello"]);

    // Per IP: the forwarded address (a proxy on loopback says who the client is).
    for (let i = 0; i < PER_IP; i++) await limitChatMessage({ visitor: `x${i}`, ip: ip(5) });
    const other = "webhook-visitor-2";
    const byIp = await fetch(`http://127.0.0.1:${port}/chat/messages`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-For": ip(5) },
      body: JSON.stringify({ type: "message", user: other, channel: other, text: "hi" }),
    });
    expect(byIp.status).toBe(429);
    expect(((await byIp.json()) as Array<{ text: string }>)[0].text).toBe("您发消息太快了。请等5 分钟后再试。");
    expect(await residentLines(`chat:${other}`)).toEqual([]);
  });
});

describe("the websocket /chat/socket", () => {
  function open(forwardedFor?: string): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/chat/socket`, forwardedFor ? { headers: { "X-Forwarded-For": forwardedFor } } : {});
      ws.on("open", () => resolve(ws));
      ws.on("error", reject);
    });
  }
  function next(ws: WebSocket, count: number): Promise<string[]> {
    return new Promise((resolve) => {
      const got: string[] = [];
      const onMessage = (data: unknown) => {
        got.push((JSON.parse(String(data)) as { text: string }).text);
        if (got.length === count) {
          ws.off("message", onMessage);
          resolve(got);
        }
      };
      ws.on("message", onMessage);
    });
  }

  it("over the visitor's limit, a bot message says to slow down and the message gets no turn", async () => {
    setClock(windowStart(3));
    const user = "socket-visitor-1";
    const ws = await open();
    const first = next(ws, 3);
    ws.send(JSON.stringify({ type: "message", user, channel: user, text: "1", language: "en" }));
    expect((await first).join("\n")).toContain("How many people");
    for (let i = 1; i < PER_VISITOR; i++) await limitChatMessage({ visitor: user, ip: null });

    const slow = next(ws, 1);
    ws.send(JSON.stringify({ type: "message", user, channel: user, text: "2" }));
    expect(await slow).toEqual(["You are sending messages very fast. Please wait 5 minutes, then try again."]);
    expect(await residentLines(`chat:${user}`)).toEqual(["1"]);
    ws.close();
  });

  it("counts the socket's address (X-Forwarded-For from a local proxy) for the per-IP limit", async () => {
    setClock(windowStart(4));
    for (let i = 0; i < PER_IP; i++) await limitChatMessage({ visitor: `y${i}`, ip: ip(6) });
    const user = "socket-visitor-2";
    const ws = await open(ip(6));
    const slow = next(ws, 1);
    ws.send(JSON.stringify({ type: "message", user, channel: user, text: "1", language: "zh-CN" }));
    expect(await slow).toEqual(["您发消息太快了。请等5 分钟后再试。"]);
    expect(await residentLines(`chat:${user}`)).toEqual([]);
    ws.close();

    // The same visitor from another address is answered.
    const ws2 = await open(ip(7));
    const answered = next(ws2, 1);
    ws2.send(JSON.stringify({ type: "message", user, channel: user, text: "1", language: "zh-CN" }));
    expect((await answered)[0]).not.toContain("太快");
    ws2.close();
  });

  it("ignores a frame that is not a chat message as JSON, and keeps serving", async () => {
    const ws = await open();
    ws.send("call me on 13912345678");
    ws.send(JSON.stringify({ type: "message", text: "no user" }));
    const user = "socket-visitor-3";
    const answered = next(ws, 1);
    ws.send(JSON.stringify({ type: "message", user, channel: user, text: "1", language: "en" }));
    expect((await answered)[0]).toContain("Lifeline");
    ws.close();
  });
});
