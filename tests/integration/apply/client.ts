// A small "browser" for the application journey in integration tests: it
// calls the route modules' loaders and actions directly (check and apply
// routes), keeps the check_draft and apply_draft cookies like a browser, and
// can send urlencoded forms (with repeated fields) and multipart uploads.
import type { ActionFunction, AppLoadContext, LoaderFunction } from "@remix-run/node";
import * as applyAnswers from "~/routes/apply.answers";
import * as applyConsent from "~/routes/apply.consent";
import * as applyDeclaration from "~/routes/apply.declaration";
import * as applyDetails from "~/routes/apply.details";
import * as applyDocuments from "~/routes/apply.documents";
import * as applyDone from "~/routes/apply.done.$reference";
import * as applyHousehold from "~/routes/apply.household";
import * as applyIndex from "~/routes/apply._index";
import * as applyProgrammes from "~/routes/apply.programmes";
import * as applyResume from "~/routes/apply.resume.$token";
import * as applySave from "~/routes/apply.save";
import * as applyWho from "~/routes/apply.who";
import * as question from "~/routes/check.$";
import { localeCookie } from "~/services/i18n.server";
import type { CheckPersona } from "../../fixtures/check-personas";

const BASE = "http://localhost";

interface RouteModule {
  loader: LoaderFunction;
  action?: ActionFunction;
}

const FIXED: Record<string, RouteModule> = {
  "/apply": applyIndex,
  "/apply/who": applyWho,
  "/apply/details": applyDetails,
  "/apply/consent": applyConsent,
  "/apply/household": applyHousehold,
  "/apply/programmes": applyProgrammes,
  "/apply/documents": applyDocuments,
  "/apply/answers": applyAnswers,
  "/apply/declaration": applyDeclaration,
  "/apply/save": applySave,
};

function route(pathname: string): { module: RouteModule; params: Record<string, string> } {
  if (FIXED[pathname]) return { module: FIXED[pathname], params: {} };
  if (pathname.startsWith("/apply/done/")) return { module: applyDone, params: { reference: pathname.slice("/apply/done/".length) } };
  if (pathname.startsWith("/apply/resume/")) return { module: applyResume, params: { token: pathname.slice("/apply/resume/".length) } };
  if (pathname.startsWith("/check/")) return { module: question, params: { "*": pathname.slice("/check/".length) } };
  throw new Error(`no route for ${pathname}`);
}

export interface Reply {
  status: number;
  location: string | null;
  data: unknown;
  setCookie: string | null;
}

async function toReply(outcome: unknown): Promise<Reply> {
  if (!(outcome instanceof Response)) return { status: 200, location: null, data: outcome, setCookie: null };
  const location = outcome.headers.get("Location");
  const text = location ? "" : await outcome.text();
  return {
    status: outcome.status,
    location,
    data: text && outcome.headers.get("Content-Type")?.includes("json") ? JSON.parse(text) : text || null,
    setCookie: outcome.headers.get("Set-Cookie"),
  };
}

export type Fields = Record<string, string | string[]>;

export class ApplyClient {
  cookies = new Map<string, string>();
  lng: "zh-CN" | "en" = "en";

  private async request(path: string, init: RequestInit = {}): Promise<Request> {
    const headers = new Headers(init.headers);
    const lngPair = (await localeCookie.serialize(this.lng)).split(";")[0];
    headers.set("Cookie", [...[...this.cookies].map(([k, v]) => `${k}=${v}`), lngPair].join("; "));
    return new Request(`${BASE}${path}`, { ...init, headers });
  }

  private keep(reply: Reply): Reply {
    if (reply.setCookie) {
      const [pair, ...attrs] = reply.setCookie.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (name === "check_draft" || name === "apply_draft") {
        if (!value || attrs.some((a) => a.trim() === "Max-Age=0")) this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
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
    return this.keep(await toReply(outcome));
  }

  async send(path: string, body: BodyInit, contentType: string | null, context: AppLoadContext = {}): Promise<Reply> {
    const { module, params } = route(new URL(`${BASE}${path}`).pathname);
    if (!module.action) throw new Error(`${path} has no action`);
    let outcome: unknown;
    try {
      const headers: Record<string, string> = contentType ? { "Content-Type": contentType } : {};
      outcome = await module.action({ request: await this.request(path, { method: "POST", body, headers }), params, context });
    } catch (thrown) {
      outcome = thrown;
    }
    return this.keep(await toReply(outcome));
  }

  post(path: string, fields: Fields = {}, context: AppLoadContext = {}): Promise<Reply> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.send(path, body, "application/x-www-form-urlencoded", context);
  }

  /** `query` adds to the form's action URL (an upload form's tokens travel there: "_once", the assisted "csrf"). */
  upload(type: string, bytes: Uint8Array, filename: string, mime: string, query: Record<string, string> = {}): Promise<Reply> {
    const form = new FormData();
    form.append("type", type);
    form.append("file", new Blob([Uint8Array.from(bytes)], { type: mime }), filename);
    const search = new URLSearchParams({ type, ...query });
    // The runtime sets the multipart boundary itself.
    return this.send(`/apply/documents?${search.toString()}`, form, null);
  }

  /** Answers every page of the check with the persona's answers. */
  async finishCheck(persona: CheckPersona): Promise<void> {
    let path = "/check/who";
    while (path !== "/check/answers") {
      const reply = await this.post(path, persona.pages[path.slice("/check/".length)]);
      if (!reply.location) throw new Error(`check stopped at ${path}: ${JSON.stringify(reply.data)}`);
      path = reply.location;
    }
  }
}
