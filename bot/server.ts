// What app/server/main.ts takes from the server bundle to serve the bot on
// the app's own port: the Express routes and the websocket hook-up.
import type { Server } from "node:http";
import type { Router } from "express";
import { db } from "~/services/db.server";
import { getBot } from "./controller";
import { attachChatSocket, botRouter } from "./http";
import { smsInbox } from "./sms";

export interface BotServer {
  /** POST /chat/messages and POST /sms/twilio; mount before Remix */
  router: Router;
  /** the websocket /chat/socket on the listening server */
  attach(server: Server): void;
}

export function botServer(): BotServer {
  const bot = getBot();
  return { router: botRouter({ db, bot, inbox: smsInbox }), attach: (server) => attachChatSocket(server, bot) };
}
