// Botkit's web adapter with two changes for the portal: replies to anything
// but an open websocket are collected on the turn (the webhook, the /chat
// page's form and text messages all read them back), and empty messages (the
// silent question after STOP) are never sent. Its websocket server is made
// only when the app's HTTP server is there to carry it (attachSockets).
import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebAdapter } from "botbuilder-adapter-web";

export const REPLIES = "httpBody";

export interface OutgoingMessage {
  type?: string;
  text?: string;
  quick_replies?: Array<{ title: string; payload: string }>;
  [key: string]: unknown;
}

interface TurnContextLike {
  activity: { channelId: string };
  turnState: Map<unknown, unknown>;
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

  /** Serves the websocket at `path` on the app's own HTTP server (upgrade requests). */
  attachSockets(
    server: Server,
    path: string,
    logic: (context: never) => Promise<void>
  ): void {
    // A chat message is a line of text: 16 KB, as for the webhook. ws would
    // otherwise take frames of up to 100 MB into memory; a bigger one closes
    // the socket (code 1009, "message too big").
    this.createSocketServer(
      null as never,
      { noServer: true, maxPayload: CHAT_MESSAGE_MAX_BYTES },
      logic
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
      wss.handleUpgrade(req, socket, head, (ws: unknown) =>
        wss.emit("connection", ws, req)
      );
    });
  }
}
