// The /chat page without JavaScript (loader + action) and the script's
// /chat/send: an anonymous id in a signed HttpOnly cookie made on the first
// visit, a message posted and answered by the bot then redirected (303) back
// to #latest, empty or over-long messages refused with 400, posts from other
// sites refused, and one browser's conversation never shown to another.
import { describe, expect, it } from "vitest";
import { fixedT } from "~/services/i18n.server";
import { ChatBrowser, type Line } from "./helpers";

const en = fixedT("en", "chat");
const zh = fixedT("zh-CN", "chat");

describe("the chat cookie", () => {
  it("is made on the first visit: signed, HttpOnly, SameSite=Lax, for /chat only; the next visit keeps it", async () => {
    const browser = new ChatBrowser();
    const first = await browser.page();
    expect(first.status).toBe(200);
    expect(first.setCookie).toMatch(/^__chat=/);
    expect(first.setCookie).toMatch(/HttpOnly/i);
    expect(first.setCookie).toMatch(/SameSite=Lax/i);
    expect(first.setCookie).toMatch(/Path=\/chat/i);
    expect(first.data?.lines).toEqual([]);
    const again = await browser.page();
    expect(again.setCookie).toBeNull();
  });

  it("gives two browsers different ids, and a forged cookie gets a new one", async () => {
    const a = new ChatBrowser();
    const b = new ChatBrowser();
    await a.page();
    await b.page();
    expect(a.cookie).not.toBe(b.cookie);

    const forger = new ChatBrowser();
    forger.cookie = `__chat=${Buffer.from(JSON.stringify({ id: "AAAAAAAAAAAAAAAAAAAAAA", quick: [] })).toString("base64")}`;
    const answer = await forger.page();
    expect(answer.setCookie).toMatch(/^__chat=/);
    expect(forger.cookie).not.toContain("AAAAAAAAAAAAAAAAAAAAAA");
  });

  it("the page is not cached (it shows a private conversation)", async () => {
    const answer = await new ChatBrowser().page();
    expect(answer.headers.get("Cache-Control")).toContain("no-store");
  });
});

describe("sending a message with the plain form", () => {
  it("redirects (303) back to /chat#latest, and the page then shows the message and the bot's reply", async () => {
    const browser = new ChatBrowser("en");
    await browser.page();
    const answer = await browser.say("  hello  ");
    expect(answer.status).toBe(303);
    expect(answer.location).toBe("/chat?lng=en#latest");
    const lines = await browser.lines();
    expect(lines[0]).toMatchObject({ from: "resident", text: "hello" });
    const replies = lines.slice(1);
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) {
      expect(reply.from).toBe("bot");
      expect(reply.text.trim()).not.toBe("");
    }
    // The conversation started in the page's language.
    expect(replies[0].lang).toBe("en");
  });

  it("starts a Chinese page's conversation in Chinese", async () => {
    const browser = new ChatBrowser("zh-CN");
    await browser.say("你好");
    const lines = await browser.lines();
    expect(lines[0]).toMatchObject({ from: "resident", text: "你好" });
    expect(lines[1]).toMatchObject({ from: "bot", lang: "zh-CN" });
  });

  it("works for a first message with no cookie yet (the cookie comes with the redirect)", async () => {
    const browser = new ChatBrowser("en");
    const answer = await browser.say("hello");
    expect(answer.status).toBe(303);
    expect(answer.setCookie).toMatch(/^__chat=/);
    expect((await browser.lines())[0]).toMatchObject({ from: "resident", text: "hello" });
  });

  it("refuses an empty message with 400 and the message for the error summary; nothing is sent", async () => {
    const browser = new ChatBrowser("en");
    await browser.page();
    for (const text of ["", "   "]) {
      const answer = await browser.say(text);
      expect(answer.status).toBe(400);
      expect(answer.data?.error).toBe(en("errors.empty"));
    }
    expect(await browser.lines()).toEqual([]);

    const zhBrowser = new ChatBrowser("zh-CN");
    expect((await zhBrowser.say("")).data?.error).toBe(zh("errors.empty"));
  });

  it("marks the page title as an error after a refused message", async () => {
    const browser = new ChatBrowser("en");
    await browser.say("");
    const context = browser.context;
    // The document request renders the loader in the same context (form-errors.ts).
    const { loader } = await import("~/routes/chat");
    const response = (await loader({ request: browser.request("/chat"), params: {}, context })) as Response;
    const data = (await response.json()) as { pageTitle: string };
    expect(data.pageTitle.startsWith(fixedT("en", "common")("errorPrefix"))).toBe(true);
  });

  it("refuses a message over 500 characters with 400", async () => {
    const browser = new ChatBrowser("en");
    const answer = await browser.say("x".repeat(501));
    expect(answer.status).toBe(400);
    expect(answer.data?.error).toBe(en("errors.tooLong"));
  });

  it("refuses a post from another site (403) and sends nothing", async () => {
    const browser = new ChatBrowser("en");
    await browser.page();
    const answer = await browser.say("1", { "Sec-Fetch-Site": "cross-site" });
    expect(answer.status).toBe(403);
    expect((await browser.sayByScript("1", { "Sec-Fetch-Site": "cross-site" })).status).toBe(403);
    expect(await browser.lines()).toEqual([]);
  });
});

describe("quick answers and language", () => {
  it("keeps the last reply's quick answers in the cookie, so the page shows them after the redirect", async () => {
    const browser = new ChatBrowser("en");
    await browser.say("hello");
    const page = await browser.page();
    const quick = page.data?.quickReplies as Array<{ title: string; payload: string }>;
    expect(quick.length).toBeGreaterThan(0);
    expect(quick.map((q) => q.payload)).toContain("1");
    // Choosing one posts its payload as the message, like typing it.
    await browser.say(quick.find((q) => q.payload === "1")?.payload ?? "");
    const lines = await browser.lines();
    expect(lines.filter((line) => line.from === "resident").map((line) => line.text)).toEqual(["hello", "1"]);
    // Quick answers belong to the newest reply: a question without them clears them.
    const after = await browser.page();
    expect(after.data?.quickReplies).not.toEqual(quick);
  });

  it("marks each bot line with its own language when the resident switches (the page keeps the site's)", async () => {
    const browser = new ChatBrowser("en");
    await browser.say("hello");
    await browser.say("中文");
    const lines = await browser.lines();
    expect(lines[1]).toMatchObject({ from: "bot", lang: "en" });
    expect(lines.at(-1)).toMatchObject({ from: "bot", lang: "zh-CN" });
  });
});

describe("one conversation per browser", () => {
  it("never shows one browser's messages to another", async () => {
    const alice = new ChatBrowser("en");
    const bob = new ChatBrowser("en");
    await alice.page();
    await bob.page();
    await alice.say("alice-only-words");
    await bob.say("hello");
    const bobText = (await bob.lines()).map((line) => line.text).join("\n");
    expect(bobText).not.toContain("alice-only-words");
    const aliceLines = await alice.lines();
    expect(aliceLines[0]).toMatchObject({ from: "resident", text: "alice-only-words" });
    expect(aliceLines.map((line) => line.text)).not.toContain("hello");
  });

  it("the script's path and the plain form share one conversation", async () => {
    const browser = new ChatBrowser("en");
    await browser.say("hello");
    const before = (await browser.lines()).length;
    const answer = await browser.sayByScript("9");
    expect(answer.status).toBe(200);
    const lines = answer.data?.lines as Line[];
    expect(lines.length).toBeGreaterThan(before + 1);
    expect(lines[before]).toMatchObject({ from: "resident", text: "9" });
    expect(lines.slice(before + 1).map((line) => line.from)).toEqual(lines.slice(before + 1).map(() => "bot"));
    expect(await browser.lines()).toEqual(lines);
    // Each line carries its place in the transcript (the script's stable key).
    expect(lines.map((line) => line.n)).toEqual(lines.map((_, i) => i));
  });
});

describe("/chat/send (the page's script)", () => {
  it("answers 400 with the translated message for an empty message", async () => {
    const browser = new ChatBrowser("en");
    const answer = await browser.sayByScript(" ");
    expect(answer.status).toBe(400);
    expect(answer.data?.error).toBe(en("errors.empty"));
  });

  it("makes the cookie when the first message comes by script", async () => {
    const browser = new ChatBrowser("en");
    const answer = await browser.sayByScript("hello");
    expect(answer.status).toBe(200);
    expect(answer.setCookie).toMatch(/^__chat=/);
    expect(answer.data?.lines).toEqual(await browser.lines());
  });
});
