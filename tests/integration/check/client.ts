// A small "browser" for the check's routes in integration tests: it calls the
// route modules' loaders and actions directly, keeps the check_draft cookie
// like a browser would, and turns thrown or returned redirects into results.
import type { ActionFunction, AppLoadContext, LoaderFunction } from "@remix-run/node";
import * as question from "~/routes/check.$";
import * as start from "~/routes/check._index";
import * as answersPage from "~/routes/check.answers";
import * as results from "~/routes/check.results";
import { localeCookie } from "~/services/i18n.server";

const BASE = "http://localhost";

interface RouteModule {
  loader: LoaderFunction;
  action?: ActionFunction;
}

function route(pathname: string): { module: RouteModule; params: Record<string, string> } {
  if (pathname === "/check") return { module: start, params: {} };
  if (pathname === "/check/answers") return { module: answersPage, params: {} };
  if (pathname === "/check/results") return { module: results, params: {} };
  if (pathname.startsWith("/check/")) return { module: question, params: { "*": pathname.slice("/check/".length) } };
  throw new Error(`no check route for ${pathname}`);
}

export interface Reply {
  status: number;
  /** Location of a redirect, else null */
  location: string | null;
  /** parsed JSON body for data responses */
  data: unknown;
  setCookie: string | null;
  /** the load context after the call (the action may leave marks in it) */
  context: AppLoadContext;
}

async function toReply(outcome: unknown, context: AppLoadContext): Promise<Reply> {
  if (!(outcome instanceof Response)) return { status: 200, location: null, data: outcome, setCookie: null, context };
  const location = outcome.headers.get("Location");
  const text = location ? "" : await outcome.text();
  return {
    status: outcome.status,
    location,
    data: text && outcome.headers.get("Content-Type")?.includes("json") ? JSON.parse(text) : text || null,
    setCookie: outcome.headers.get("Set-Cookie"),
    context,
  };
}

export class CheckClient {
  cookie: string | null = null;
  lng: "zh-CN" | "en" = "zh-CN";

  private async request(path: string, init: RequestInit = {}): Promise<Request> {
    const headers = new Headers(init.headers);
    // the language cookie as the site itself writes it
    const lngPair = (await localeCookie.serialize(this.lng)).split(";")[0];
    const jar = [this.cookie, lngPair].filter(Boolean).join("; ");
    headers.set("Cookie", jar);
    return new Request(`${BASE}${path}`, { ...init, headers });
  }

  private keep(reply: Reply): Reply {
    const set = reply.setCookie;
    if (set) {
      const [pair] = set.split(";");
      const [name, value] = pair.split("=");
      if (name === "check_draft") this.cookie = value ? `check_draft=${value}` : null;
    }
    return reply;
  }

  async get(path: string, context: AppLoadContext = {}): Promise<Reply> {
    const { module, params } = route(new URL(`${BASE}${path}`).pathname);
    let outcome: unknown;
    try {
      outcome = await module.loader({ request: await this.request(path), params, context });
    } catch (thrown) {
      outcome = thrown;
    }
    return this.keep(await toReply(outcome, context));
  }

  async post(path: string, fields: Record<string, string>, context: AppLoadContext = {}): Promise<Reply> {
    const { module, params } = route(new URL(`${BASE}${path}`).pathname);
    if (!module.action) throw new Error(`${path} has no action`);
    const body = new URLSearchParams(fields);
    let outcome: unknown;
    try {
      outcome = await module.action({
        request: await this.request(path, { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } }),
        params,
        context,
      });
    } catch (thrown) {
      outcome = thrown;
    }
    return this.keep(await toReply(outcome, context));
  }

  /** A POST as a browser without script sends it: on 400, Remix then runs the loader with the same context. */
  async submit(path: string, fields: Record<string, string>): Promise<{ action: Reply; page: Reply | null }> {
    const context: AppLoadContext = {};
    const action = await this.post(path, fields, context);
    if (action.location) return { action, page: null };
    return { action, page: await this.get(path, context) };
  }
}
