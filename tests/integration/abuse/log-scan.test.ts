// Nothing personal in the logs (issue 7 item 4): the real server, as `npm
// start` runs it, is driven through a flow that handles every kind of
// personal data it takes (a partner's application with an ID number, call-back
// requests, a texted /track code and its use, signed text messages, chat on
// every way in, failed staff sign-ins) and through bad input (malformed JSON,
// a wrong ID check character, unreadable websocket frames, a bad address).
// Then everything it printed on stdout and stderr must hold none of the ID
// numbers, phone numbers (E.164, national and spaced) or codes used.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { afterAll, beforeAll, expect, it } from "vitest";
import { idCheckCharacter } from "~/domain/identity";
import { twilioSignature } from "~/services/twilio-signature.server";
import { buildApp, startServerProcess, type ServerProcess } from "../../support/app-server";

const STAFF_TOKEN = "log-scan-staff-token-0123456789";
const TWILIO_TOKEN = "log-scan-twilio-token";

const idOf = (first17: string) => first17 + idCheckCharacter(first17);
/** The applicant's and a second person's ID numbers, and one with a wrong check character. */
const ID_APPLICANT = idOf("11010519520817003");
const ID_OTHER = idOf("44030519880412005");
const ID_WRONG = ID_OTHER.slice(0, 17) + (ID_OTHER[17] === "1" ? "2" : "1");

/** National 11-digit mobile numbers, each used somewhere below. */
const PHONES = {
  applicant: "13512349876",
  proxy: "13698765432",
  callbackForm: "15011112233",
  callbackApi: "15822334455",
  texter: "18733445566",
  chatTyped: "17744556677",
  login: "13355667788",
};

let server: ServerProcess;
let dataDir: string;
const codes: string[] = [];

beforeAll(async () => {
  buildApp();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lifeline-log-scan-"));
  server = await startServerProcess({ dataDir, env: { STAFF_API_TOKEN: STAFF_TOKEN, TWILIO_AUTH_TOKEN: TWILIO_TOKEN, DEMO: "1" }, startTimeoutMs: 200_000 });
}, 600_000);

afterAll(async () => {
  await server?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const url = (p: string) => `${server.baseURL}${p}`;

function form(p: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(url(p), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

function json(p: string, body: string, headers: Record<string, string> = {}) {
  return fetch(url(p), { method: "POST", redirect: "manual", headers: { "Content-Type": "application/json", ...headers }, body });
}

const cookieOf = (response: Response) => (response.headers.get("Set-Cookie") ?? "").split(";")[0];

/** Texts the phone simulator holds for a phone (the /dev/sms page's data). */
async function textsTo(national: string): Promise<string[]> {
  const response = await fetch(url(`/dev/sms?phone=${encodeURIComponent(`+86${national}`)}&_data=routes%2Fdev.sms`));
  const data = (await response.json()) as { inbox: { texts: Array<{ from: string; body: string }> } | null };
  return (data.inbox?.texts ?? []).filter((t) => t.from === "service").map((t) => t.body);
}

let sid = 0;
function text(from: string, body: string) {
  const params = {
    MessageSid: `SMlogscan${String(++sid).padStart(25, "0")}`,
    AccountSid: "AC00000000000000000000000000000000",
    From: from,
    To: "+8610000000000",
    Body: body,
    NumMedia: "0",
  };
  return fetch(url("/sms/twilio"), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": twilioSignature(TWILIO_TOKEN, url("/sms/twilio"), params) },
    body: new URLSearchParams(params).toString(),
  });
}

function socketSend(frames: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url("/chat/socket").replace(/^http/, "ws"));
    ws.on("open", () => {
      for (const frame of frames) ws.send(frame);
      // The last frame is a real message: its answer says the others were read too.
      ws.once("message", () => {
        ws.close();
        resolve();
      });
    });
    ws.on("error", reject);
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | null>, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== null) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const spaced = (n: string) => `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;

it("logs no ID number, phone number or texted code, whatever comes in", async () => {
  const auth = { Authorization: `Bearer ${STAFF_TOKEN}` };

  // A partner's application with an ID number; then the same with a wrong check character, and malformed JSON.
  const application = {
    applicant: { name: "赵桂兰", idNumber: ID_APPLICANT, phone: spaced(PHONES.applicant), language: "zh-CN" },
    onBehalfOf: { name: "赵强", phone: PHONES.proxy, relationship: "child", consent: "sms" },
    household: {
      members: [{ relation: "self", age: 74, monthlyIncome: 300, disability: "none", canWork: false }],
      assets: { financial: 1000, vehicles: 0, properties: 1 },
    },
    programs: ["dibao"],
  };
  const created = await json("/api/v1/applications", JSON.stringify(application), auth);
  expect(created.status).toBe(201);
  const { reference } = (await created.json()) as { reference: string };
  const wrongCheck = await json("/api/v1/applications", JSON.stringify({ ...application, applicant: { ...application.applicant, idNumber: ID_WRONG } }), auth);
  expect(wrongCheck.status).toBe(400);
  expect((await json("/api/v1/applications", `{"applicant":{"idNumber":"${ID_OTHER}","phone":"${PHONES.applicant}"`, auth)).status).toBe(400);
  expect((await json("/api/v1/applications", JSON.stringify(application), { Authorization: "Bearer wrong-token" })).status).toBe(401);

  // Call-back requests: the form (good, then with mistakes) and the API (good and malformed).
  expect((await form("/callback", { phone: spaced(PHONES.callbackForm), name: "钱芳", bestTime: "any", reason: `身份证 ${ID_OTHER}` })).status).toBe(303);
  expect((await form("/callback", { phone: `${PHONES.callbackForm}9`, name: "钱芳", oldestAge: "abc" })).status).toBe(400);
  expect((await json("/api/v1/callbacks", JSON.stringify({ phone: `+86${PHONES.callbackApi}`, reason: `ID ${ID_OTHER}` }))).status).toBe(201);
  expect((await json("/api/v1/callbacks", `{"phone":"${PHONES.callbackApi}","reason":`)).status).toBe(400);
  expect((await json("/api/v1/callbacks", JSON.stringify({ phone: PHONES.callbackApi, idNumber: ID_OTHER }))).status).toBe(400);

  // /track: a code texted to the applicant, read from the phone simulator, a wrong one, then the right one.
  const asked = await form("/track", { reference, phone: PHONES.applicant });
  expect(asked.status).toBe(303);
  const cookie = cookieOf(asked);
  const code = await waitFor("the tracking code", async () => {
    const found = (await textsTo(PHONES.applicant)).map((body) => /(?<!\d)(\d{6})(?!\d)/.exec(body)?.[1]).find(Boolean);
    return found ?? null;
  });
  codes.push(code);
  const wrongCode = code === "000000" ? "111111" : "000000";
  codes.push(wrongCode);
  expect((await form("/track/code", { code: wrongCode }, { Cookie: cookie })).status).toBe(400);
  expect((await form("/track/code", { code }, { Cookie: cookie })).status).toBe(303);

  // Signed text messages with personal data in them, one unsigned, and a landline.
  for (const body of ["你好", "2", reference, `我的身份证是${ID_OTHER}`, `call ${PHONES.chatTyped}`, code])
    expect((await text(`+86${PHONES.texter}`, body)).status).toBe(200);
  expect(
    (
      await fetch(url("/sms/twilio"), {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: `From=%2B86${PHONES.texter}&Body=${ID_OTHER}`,
      })
    ).status
  ).toBe(403);
  expect((await text("+861065123456", `from a landline ${ID_OTHER}`)).status).toBe(200);
  // The phone simulator's JSON API, good and malformed.
  expect((await json("/dev/sms", JSON.stringify({ from: PHONES.texter, body: `0 ${ID_OTHER}` }))).status).toBeLessThan(300);
  expect((await json("/dev/sms", `{"from":"${PHONES.texter}","body":"${ID_OTHER}`)).status).toBe(400);

  // Chat: Botkit's webhook (good and malformed), the page's form and the websocket (with unreadable frames).
  const chatUser = "log-scan-visitor";
  expect((await json("/chat/messages", JSON.stringify({ type: "message", user: chatUser, channel: chatUser, text: "0" }))).status).toBe(200);
  expect((await json("/chat/messages", JSON.stringify({ type: "message", user: chatUser, channel: chatUser, text: spaced(PHONES.chatTyped) }))).status).toBe(
    200
  );
  expect((await json("/chat/messages", `{"type":"message","user":"${chatUser}","text":"${ID_OTHER}`)).status).toBe(400);
  const page = await fetch(url("/chat"));
  expect((await form("/chat", { text: `我的电话 ${PHONES.chatTyped}，身份证 ${ID_OTHER}` }, { Cookie: cookieOf(page) })).status).toBe(303);
  await socketSend([
    `call me on ${PHONES.chatTyped}, ID ${ID_OTHER}`,
    `{"type":"message","user":"ws-log-scan","text":"${PHONES.chatTyped}`,
    JSON.stringify({ type: "message", user: "ws-log-scan", channel: "ws-log-scan", text: `${ID_OTHER} ${PHONES.chatTyped}` }),
  ]);

  // Failed staff sign-ins: people type their phone or ID number into the wrong box.
  for (const [username, password] of [
    [PHONES.login, ID_OTHER],
    [ID_OTHER, PHONES.login],
    [`+86${PHONES.login}`, code],
  ])
    expect((await form("/staff/login", { username, password })).status).toBeGreaterThanOrEqual(400);

  // An address that cannot be decoded, and a page that is not there, with personal data in them.
  expect((await fetch(url(`/%E0%A4%A/${PHONES.login}`))).status).toBeLessThan(500);
  expect((await fetch(url(`/track/${ID_OTHER}?phone=${PHONES.login}`))).status).toBe(404);

  // Let the inbox worker answer the texts and the outbox take its turn, then stop the server.
  await waitFor("the texts' answers", async () => ((await textsTo(PHONES.texter)).length >= 3 ? true : null));
  await server.stop();

  const log = server.log();
  expect(log).toContain("Lifeline is serving");
  const forbidden = [ID_APPLICANT, ID_OTHER, ID_WRONG, ID_OTHER.slice(0, 17), ...Object.values(PHONES).flatMap((n) => [n, `+86${n}`, spaced(n), `86${n}`])];
  for (const value of forbidden) expect(log, `the log holds ${value}`).not.toContain(value);
  for (const value of codes) expect(log, `the log holds the code ${value}`).not.toMatch(new RegExp(`(?<!\\d)${value}(?!\\d)`));
}, 400_000);
