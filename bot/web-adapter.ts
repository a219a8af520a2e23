// Botkit's web adapter with two changes for the portal: replies to anything
// but an open websocket are collected on the turn (the webhook, the /chat
// page's form and text messages all read them back), and empty messages (the
// silent question after STOP) are never sent. Its websocket server is made
// only when the app's HTTP server is there to carry it (attachSockets).
import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebAdapter } from "botbuilder-adapter-web";
import { socketClientIp } from "~/services/abuse-limits.server";

export const REPLIES = "httpBody";
/** turnState key: the sender's address (a chat turn's), for the per-IP limits. */
export const CLIENT_IP = "lifelineClientIp";

export interface OutgoingMessage {
  type?: string;
  text?: string;
  quick_replies?: Array<{ title: string; payload: string }>;
  [key: string]: unknown;
}

interface TurnContextLike {
  activity: { channelId: string; from?: { id?: string } };
  turnState: Map<unknown, unknown>;
}

interface SocketLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  listeners(event: string): Array<(...args: unknown[]) => void>;
  removeAllListeners(event: string): unknown;
}

type ActivityLike = {
  type?: string;
  text?: string;
  recipient?: { id: string };
  channelData?: Record<string, unknown>;
};

/** The largest chat message a websocket frame may carry (the webhook's body limit is the same). */
export const CHAT_MESSAGE_MAX_BYTES = 16 * 1024;

export class LifelineWebAdapter extends WebAdapter {
  /** Each chat visitor's socket address (their latest message's), for the per-IP limits; dropped when the socket closes. */
  private readonly socketIps = new Map<string, string>();

  /** Nothing at Botkit's boot: there is no Botkit web server (disable_webserver). */
  init(): void {}

  async sendActivities(
    context: TurnContextLike,
    activities: ActivityLike[]
  ): Promise<never[]> {
    const visible = activities.filter(
      (a) =>
        a.type !== "message" ||
        (typeof a.text === "string" && a.text.trim() !== "")
    );
    if (context.activity.channelId === "websocket")
      return (await super.sendActivities(
        context as never,
        visible as never
      )) as never[];
    const collected =
      (context.turnState.get(REPLIES) as OutgoingMessage[] | undefined) ?? [];
    for (const activity of visible)
      if (activity.type === "message")
        collected.push(
          (
            this as unknown as {
              activityToMessage(a: unknown): OutgoingMessage;
            }
          ).activityToMessage(activity)
        );
    context.turnState.set(REPLIES, collected);
    return [];
  }

  /** Runs Botkit's turn logic through the adapter's middleware, as its own webhook does. */
  runTurn(
    context: unknown,
    logic: (context: never) => Promise<void>
  ): Promise<void> {
    return this.runMiddleware(context as never, logic as never);
  }

  /**
   * Puts a gate before Botkit's own message handler on a new socket: a frame
   * that is not a chat message as JSON (with a `user` id of up to 100
   * characters) is ignored, because Botkit would log it whole, with whatever
   * phone or ID number it holds (the parse error quotes the text); and the
   * socket's address is noted under the visitor id for the per-IP limits.
   */
  private screenMessages(ws: SocketLike, ip: string | null): void {
    const botkit = ws.listeners("message");
    ws.removeAllListeners("message");
    const users = new Set<string>();
    ws.on("message", (payload: unknown, ...rest: unknown[]) => {
      let message: unknown;
      try {
        message = JSON.parse(String(payload));
      } catch {
        return;
      }
      const user = (message as { user?: unknown } | null)?.user;
      if (typeof user !== "string" || user === "" || user.length > 100) return;
      if (ip) {
        this.socketIps.set(user, ip);
        users.add(user);
      }
      for (const listener of botkit) listener.call(ws, payload, ...rest);
    });
    ws.on("close", () => {
      for (const user of users) if (this.socketIps.get(user) === ip) this.socketIps.delete(user);
    });
  }

  /** Serves the websocket at `path` on the app's own HTTP server (upgrade requests). */
  attachSockets(
    server: Server,
    path: string,
    logic: (context: never) => Promise<void>
  ): void {
    // A chat message is a line of text: 16 KB, as for the webhook. ws would
    // otherwise take frames of up to 100 MB into memory; a bigger one closes
    // the socket (code 1009, "message too big").
    // The turn knows the sender's address (CLIENT_IP) for the per-IP limits.
    const withIp = (context: TurnContextLike) => {
      const ip = this.socketIps.get(String(context.activity.from?.id ?? ""));
      if (ip) context.turnState.set(CLIENT_IP, ip);
      return logic(context as never);
    };
    this.createSocketServer(
      null as never,
      { noServer: true, maxPayload: CHAT_MESSAGE_MAX_BYTES },
      withIp as never
    );
    const wss = (
      this as unknown as {
        wss: {
          handleUpgrade: (...args: unknown[]) => void;
          emit: (...args: unknown[]) => void;
        };
      }
    ).wss;
    server.on("upgrade", (req, socket: Duplex, head) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (url.pathname !== path) {
        // Nobody else serves websockets on this server: refuse instead of leaving the socket hanging.
        if (server.listenerCount("upgrade") === 1)
          socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
        return;
      }
      const ip = socketClientIp(req);
      wss.handleUpgrade(req, socket, head, (ws: SocketLike) => {
        wss.emit("connection", ws, req);
        this.screenMessages(ws, ip);
      });
    });
  }
}
