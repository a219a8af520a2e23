// The web chat's websocket (/chat/socket) on the app's own HTTP server: a
// message in, the bot's replies pushed back on the same socket.
import http from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket from "ws";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db, prepareDatabase } from "~/services/db.server";
import { createBot } from "../../../bot/controller";
import { attachChatSocket } from "../../../bot/http";

let server: http.Server;
let port: number;

beforeAll(async () => {
  await prepareDatabase();
  server = http.createServer((_req, res) => res.writeHead(404).end());
  attachChatSocket(
    server,
    createBot({ db, now: () => new Date(), publicUrl: "https://lifeline.test" })
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function exchange(
  path: string,
  message: unknown,
  expected: number
): Promise<Array<{ text: string; quick_replies?: unknown[] }>> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    const got: Array<{ text: string }> = [];
    ws.on("open", () => ws.send(JSON.stringify(message)));
    ws.on("message", (data) => {
      got.push(JSON.parse(String(data)) as { text: string });
      if (got.length === expected) {
        ws.close();
        resolve(got);
      }
    });
    ws.on("error", reject);
  });
}

it("answers a chat message on the socket, in the language asked for", async () => {
  const replies = await exchange(
    "/chat/socket",
    {
      type: "message",
      user: "socket-user",
      channel: "socket-user",
      text: "1",
      language: "en",
    },
    3
  );
  expect(replies.map((r) => r.text)).toEqual([
    expect.stringContaining("Lifeline"),
    expect.stringContaining("9 questions"),
    expect.stringContaining("(1/9) How many people"),
  ]);
  const row = await db.conversation.findUniqueOrThrow({
    where: { id: "chat:socket-user" },
  });
  expect(row.language).toBe("en");
});

it("refuses upgrades on other paths", async () => {
  await expect(
    exchange("/elsewhere", { type: "message", user: "x", text: "1" }, 1)
  ).rejects.toBeTruthy();
});

it("closes a socket that sends a message bigger than a chat message may be (16 KB), and keeps serving others", async () => {
  const code = await new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/chat/socket`);
    ws.on("open", () =>
      ws.send(
        JSON.stringify({
          type: "message",
          user: "big-user",
          channel: "big-user",
          text: "x".repeat(17 * 1024),
        })
      )
    );
    ws.on("close", (closeCode) => resolve(closeCode));
    ws.on("error", () => undefined);
    setTimeout(() => reject(new Error("the socket stayed open")), 5000);
  });
  expect(code).toBe(1009);
  expect(
    await db.conversation.findUnique({ where: { id: "chat:big-user" } })
  ).toBeNull();
  const replies = await exchange(
    "/chat/socket",
    {
      type: "message",
      user: "after-big",
      channel: "after-big",
      text: "1",
      language: "en",
    },
    3
  );
  expect(replies).toHaveLength(3);
});
