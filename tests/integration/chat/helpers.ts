// Drives /chat the way a browser does, without one: each call runs the page's
// loader or action (or /chat/send) with the cookie the last answer set. A
// thrown Response is the answer, as in Remix.
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { action as chatAction, loader as chatLoader } from "~/routes/chat";
import { action as sendAction } from "~/routes/chat_.send";

export interface Answer {
  status: number;
  location: string | null;
  setCookie: string | null;
  headers: Headers;
  data: Record<string, unknown> | null;
}

export interface Line {
  n: number;
  from: "resident" | "bot";
  text: string;
  at: string;
  lang: string;
}

type Handler = (args: ActionFunctionArgs | LoaderFunctionArgs) => Promise<unknown>;

export class ChatBrowser {
  cookie = "";
  context: AppLoadContext = {};
  constructor(readonly lng: "zh-CN" | "en" = "en") {}

  async run(handler: Handler, request: Request): Promise<Answer> {
    this.context = {};
    let response: Response;
    try {
      response = (await handler({ request, params: {}, context: this.context })) as Response;
    } catch (thrown) {
      if (!(thrown instanceof Response)) throw thrown;
      response = thrown;
    }
    const setCookie = response.headers.get("Set-Cookie");
    if (setCookie) this.cookie = setCookie.split(";")[0];
    const location = response.headers.get("Location");
    const text = location ? "" : await response.text();
    let data: Record<string, unknown> | null = null;
    try {
      data = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      data = null;
    }
    return { status: response.status, location, setCookie, headers: response.headers, data };
  }

  request(path: string, init: RequestInit = {}): Request {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set("Cookie", this.cookie);
    return new Request(`http://localhost${path}${path.includes("?") ? "&" : "?"}lng=${this.lng}`, { ...init, headers });
  }

  page(): Promise<Answer> {
    return this.run(chatLoader, this.request("/chat"));
  }

  say(text: string, extraHeaders: Record<string, string> = {}): Promise<Answer> {
    return this.run(
      chatAction,
      this.request("/chat", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", ...extraHeaders },
        body: new URLSearchParams({ text }),
      }),
    );
  }

  sayByScript(text: string, extraHeaders: Record<string, string> = {}): Promise<Answer> {
    return this.run(
      sendAction,
      this.request("/chat/send", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", ...extraHeaders },
        body: new URLSearchParams({ text }),
      }),
    );
  }

  async lines(): Promise<Line[]> {
    const answer = await this.page();
    return (answer.data?.lines ?? []) as Line[];
  }
}
