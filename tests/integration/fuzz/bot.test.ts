// Fuzzes the bot's webhooks on the app's own Express app (app/server/app.ts
// with the bot's routes mounted as in production, and a stand-in Remix build
// holding only /healthz): POST /sms/twilio signed with TWILIO_AUTH_TOKEN, so
// the text reaches the dialog (emoji, 10 000 characters, control characters,
// keywords, repeated and odd fields), and unsigned or mis-signed (403, nothing
// stored); POST /chat/messages with arbitrary JSON and non-JSON; frames on the
// websocket /chat/socket. Property: never a 5xx, no stack trace; afterwards
// /healthz is 200 and each conversation still works ("START", then "1" gets
// the menu's first answer).
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import fc from "fast-check";
import WebSocket from "ws";
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  vi,
} from "vitest";
import { createApp } from "~/server/app";
import { loader as healthz } from "~/routes/healthz";
import { db, prepareDatabase } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import {
  twilioSignature,
  type FormParams,
} from "~/services/twilio-signature.server";
import { createBot, type Bot } from "../../../bot/controller";
import { attachChatSocket, botRouter } from "../../../bot/http";
import { startSmsInbox, type SmsInbox } from "../../../bot/sms";
import { nearlyValid } from "../../support/fuzz-api";
import { send } from "../../support/fuzz-http";
import { hostileString, wellFormed } from "../../support/fuzz-inputs";

const PUBLIC_URL = "https://lifeline.test";
const TOKEN = "twilio-fuzz-token";
const KEYWORDS = [
  "0",
  "人工",
  "HELP",
  "AGENT",
  "STOP",
  "退订",
  "START",
  "EN",
  "中文",
  "1",
  "2",
  "3",
  "4",
  "9",
  "yes",
  "no",
];
const PHONES = ["+8613700000101", "+8613700000102", "13700000103"];
const CHAT_USERS = ["fuzz-chat-1", "fuzz-chat-2"];

let bot: Bot;
let inbox: SmsInbox;
let server: http.Server;
let base = "";

// Only what Remix's handler reads from a build: one resource route, /healthz (the real module).
const build = {
  mode: "production",
  future: {},
  basename: undefined,
  publicPath: "/build/",
  assetsBuildDirectory: "public/build",
  assets: {
    entry: { module: "", imports: [] },
    routes: {},
    url: "",
    version: "fuzz",
  },
  entry: {
    module: {
      default: () => new Response("page"),
      handleError: () => undefined,
    },
  },
  routes: {
    root: { id: "root", path: "", module: { default: () => null } },
    "routes/healthz": {
      id: "routes/healthz",
      parentId: "root",
      path: "healthz",
      module: { loader: healthz },
    },
  },
} as unknown as ServerBuild;

beforeAll(async () => {
  await prepareDatabase();
  bot = createBot({ db, now: () => new Date(), publicUrl: PUBLIC_URL });
  inbox = startSmsInbox(db, bot);
  const router = botRouter({
    db,
    bot,
    inbox: () => inbox,
    settings: () => ({ publicUrl: PUBLIC_URL, authToken: TOKEN }),
    demo: () => true,
  });
  server = http.createServer(
    createApp({ build, production: true, bot: router })
  );
  attachChatSocket(server, bot);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await inbox.stop();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const STACK = /\n\s+at |node_modules|\.tsx?:\d+|SyntaxError|TypeError/;

function checkHttp(
  status: number,
  text: string,
  allowed: readonly number[],
  label: string
): void {
  if (status >= 500 || (status >= 400 && !allowed.includes(status)))
    throw new Error(`${label}: status ${status}: ${text.slice(0, 300)}`);
  if (STACK.test(text))
    throw new Error(
      `${label}: stack trace or internals in the answer: ${text.slice(0, 300)}`
    );
}

function encode(params: FormParams): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    for (const one of Array.isArray(value) ? value : [value])
      if (one !== undefined) body.append(name, one);
  return body.toString();
}

let sid = 0;
const twilioText = fc.record({
  From: fc.oneof(
    { arbitrary: fc.constantFrom(...PHONES), weight: 5 },
    {
      arbitrary: hostileString(["+8610000000000", "+1 555 0100", "landline"]),
      weight: 1,
    }
  ),
  Body: hostileString([
    ...KEYWORDS,
    "😀".repeat(500),
    "字".repeat(10_000),
    "x".repeat(1_601),
  ]),
  sid: fc.oneof(
    { arbitrary: fc.constant("new"), weight: 5 },
    { arbitrary: fc.constantFrom("SM-repeat", "", "S".repeat(65)), weight: 1 }
  ),
  extra: fc.array(
    fc.tuple(
      fc.constantFrom(
        "To",
        "Body",
        "From",
        "NumMedia",
        "MediaUrl0",
        "x",
        "MessageSid"
      ),
      hostileString()
    ),
    { maxLength: 3 }
  ),
});

function twilioParams(text: {
  From: string;
  Body: string;
  sid: string;
  extra: Array<[string, string]>;
}): FormParams {
  const params: FormParams = {
    MessageSid:
      text.sid === "new" ? `SM${String(++sid).padStart(32, "0")}` : text.sid,
    AccountSid: "AC00000000000000000000000000000000",
    // What goes over the wire is UTF-8: a lone surrogate arrives as U+FFFD,
    // and Twilio signs what it sends, so the signature is made over that.
    From: wellFormed(text.From),
    To: "+8610000000000",
    Body: wellFormed(text.Body),
  };
  for (const [name, raw] of text.extra) {
    const value = wellFormed(raw);
    const before = params[name];
    params[name] =
      before === undefined
        ? value
        : Array.isArray(before)
        ? [...before, value]
        : [before, value];
  }
  return params;
}

describe("POST /sms/twilio", () => {
  it("a signed text of any content is acknowledged (200) or refused as too large (413), never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(twilioText, async (text) => {
        const params = twilioParams(text);
        const res = await send(`${base}/sms/twilio`, {
          method: "POST",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": twilioSignature(
              TOKEN,
              `${PUBLIC_URL}/sms/twilio`,
              params
            ),
          },
          body: encode(params),
        });
        checkHttp(
          res.status,
          res.text,
          [413],
          `signed text ${JSON.stringify(text).slice(0, 300)}`
        );
      }),
      { numRuns: 60 }
    );
  }, 120_000);

  it("an unsigned, mis-signed or not-a-form request is 403 and stores nothing", async () => {
    const signature = fc.oneof(
      fc.constant(null),
      fc.string({
        unit: fc
          .integer({ min: 0x21, max: 0x7e })
          .map((n) => String.fromCharCode(n)),
        maxLength: 40,
      }),
      fc.constant("signed-for-another-url"),
      fc.constant("signed-with-another-token")
    );
    const contentType = fc.constantFrom(
      "application/x-www-form-urlencoded",
      "application/json",
      "text/plain",
      "multipart/form-data; boundary=zz"
    );
    await fc.assert(
      fc.asyncProperty(
        twilioText,
        signature,
        contentType,
        async (text, how, type) => {
          // A fresh single MessageSid, so "nothing stored" can be looked up by it.
          const params = twilioParams({
            ...text,
            sid: "new",
            extra: text.extra.filter(([name]) => name !== "MessageSid"),
          });
          const headers: Record<string, string> = { "Content-Type": type };
          if (how === "signed-for-another-url")
            headers["X-Twilio-Signature"] = twilioSignature(
              TOKEN,
              `${PUBLIC_URL}/sms/other`,
              params
            );
          else if (how === "signed-with-another-token")
            headers["X-Twilio-Signature"] = twilioSignature(
              `${TOKEN}x`,
              `${PUBLIC_URL}/sms/twilio`,
              params
            );
          else if (how !== null) headers["X-Twilio-Signature"] = how;
          const body =
            type === "application/json"
              ? JSON.stringify(params)
              : encode(params);
          const res = await send(`${base}/sms/twilio`, {
            method: "POST",
            headers,
            body,
          });
          const answer = res.text;
          if (res.status !== 403 && res.status !== 413)
            throw new Error(
              `expected 403 (or 413 when too large), got ${
                res.status
              }: ${answer.slice(0, 200)}`
            );
          // Nothing stored: no row for this text's MessageSid (each run's is new).
          expect(
            await db.inboundMessage.findUnique({
              where: { sid: String(params.MessageSid) },
            })
          ).toBeNull();
        }
      ),
      { numRuns: 40 }
    );
  }, 120_000);
});

const chatBody = fc.oneof(
  nearlyValid(
    {
      type: "message",
      user: CHAT_USERS[0],
      channel: CHAT_USERS[0],
      text: "1",
      language: "en",
    },
    ["type", "user", "channel", "text", "language", "extra", "__proto__"]
  ),
  fc.record({
    type: fc.constant("message"),
    user: fc.constantFrom(...CHAT_USERS),
    channel: fc.constant("c"),
    text: hostileString([...KEYWORDS, "😀".repeat(300)]),
    language: fc.constantFrom("en", "zh-CN", "xx"),
  }),
  fc.jsonValue()
);

describe("POST /chat/messages", () => {
  it("any JSON, or anything else, is answered 200 or with a 4xx, never a 5xx", async () => {
    const raw = fc.oneof(
      {
        arbitrary: chatBody.map((b) => ({
          type: "application/json",
          body: JSON.stringify(b) ?? "null",
        })),
        weight: 8,
      },
      {
        arbitrary: fc.record({
          type: fc.constantFrom(
            "application/json",
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/json; charset=latin1"
          ),
          body: hostileString(['{"type":"message"', "[", "\u0000"]),
        }),
        weight: 2,
      },
      {
        arbitrary: fc.constant({
          type: "application/json",
          body: JSON.stringify({
            type: "message",
            user: "u",
            text: "x".repeat(20_000),
          }),
        }),
        weight: 1,
      }
    );
    await fc.assert(
      fc.asyncProperty(raw, async ({ type, body }) => {
        const res = await send(`${base}/chat/messages`, {
          method: "POST",
          headers: { "Content-Type": type },
          body,
        });
        const text = res.text;
        checkHttp(
          res.status,
          text,
          [400, 413, 415, 429],
          `chat ${type} ${body.slice(0, 200)}`
        );
        if (res.status === 200)
          expect(Array.isArray(JSON.parse(text))).toBe(true);
      }),
      { numRuns: 60 }
    );
  }, 120_000);
});

describe("the websocket /chat/socket", () => {
  it("takes any frames (junk, huge, binary) without harm, and still answers a good message", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const frames = fc.array(
      fc.oneof(
        chatBody.map((b) => JSON.stringify(b) ?? "null"),
        hostileString(["{", "null", "[]"]),
        fc.constant("x".repeat(17 * 1024)),
        fc.uint8Array({ maxLength: 64 })
      ),
      { minLength: 1, maxLength: 8 }
    );
    await fc.assert(
      fc.asyncProperty(frames, async (list) => {
        const ws = new WebSocket(`${base.replace("http", "ws")}/chat/socket`);
        await new Promise<void>((resolve, reject) => {
          ws.once("open", () => resolve());
          ws.once("error", reject);
        });
        const closed = new Promise<void>((resolve) =>
          ws.once("close", () => resolve())
        );
        ws.on("error", () => undefined);
        for (const frame of list)
          if (ws.readyState === WebSocket.OPEN) ws.send(frame);
        // A frame over 16 KB closes the socket (1009); otherwise we close it.
        setTimeout(() => ws.close(), 50);
        await closed;
      }),
      { numRuns: 15 }
    );
    // The socket still works for the next visitor.
    const ws = new WebSocket(`${base.replace("http", "ws")}/chat/socket`);
    const first = await new Promise<string>((resolve, reject) => {
      ws.on("open", () =>
        ws.send(
          JSON.stringify({
            type: "message",
            user: "fuzz-socket-after",
            channel: "x",
            text: "hello",
            language: "en",
          })
        )
      );
      ws.on("message", (data) => resolve(String(data)));
      ws.on("error", reject);
    });
    ws.close();
    expect((JSON.parse(first) as { text: string }).text).toContain("Lifeline");
    // Botkit logs each socket error (a too-big frame: "Websocket Error: RangeError: Max payload size exceeded"); silenced here.
  }, 120_000);
});

describe("afterwards", () => {
  const en = fixedT("en", "bot");
  const zh = fixedT("zh-CN", "bot");
  const intro = (t: typeof en) => t("check.intro", { total: 0 }).split("0")[0];

  it("the server is healthy: GET /healthz through the Express app is 200", async () => {
    const res = await send(`${base}/healthz`, {});
    expect(res.status).toBe(200);
  });

  it("every fuzzed chat conversation still works: START, then 1 gets the menu's first answer", async () => {
    // The fuzz may have used up these users' chat limit (app/services/abuse-limits.server.ts,
    // tested in tests/integration/abuse): the limit's window ending is what clearing the counts stands for.
    await db.rateLimitCounter.deleteMany({});
    for (const user of CHAT_USERS) {
      const say = async (text: string) => {
        const res = await send(`${base}/chat/messages`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ type: "message", user, channel: user, text }),
        });
        expect(res.status, `${user}: ${text}`).toBe(200);
        return (JSON.parse(res.text) as Array<{ text: string }>)
          .map((r) => r.text)
          .join("\n");
      };
      await say("START");
      const replies = await say("1");
      expect(
        [intro(en), intro(zh)].some((start) => replies.includes(start)),
        replies
      ).toBe(true);
    }
  });

  it("every fuzzed SMS conversation still works (through the phone simulator, same dialogs)", async () => {
    for (const phone of PHONES) {
      const say = async (body: string) => {
        const res = await send(`${base}/dev/sms`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ from: phone, body }),
        });
        expect([200, 202], `${phone}: ${body}`).toContain(res.status);
        return (JSON.parse(res.text) as { replies: string[] }).replies.join(
          "\n"
        );
      };
      await say("START");
      const replies = await say("1");
      expect(
        [intro(en), intro(zh)].some((start) => replies.includes(start)),
        replies
      ).toBe(true);
    }
  }, 120_000);
});
