// Drives /track the way a browser does, without one: each call runs a route's
// loader or action with the cookie the last answer set, and follows nothing
// by itself. A thrown Response (a redirect) is the answer, as in Remix.
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { submitApplication } from "~/models/application.server";
import { action as startAction } from "~/routes/track._index";
import { action as codeAction } from "~/routes/track.code";
import { action as caseAction, loader as caseLoader } from "~/routes/track.case";
import { db } from "~/services/db.server";
import { APPLICANT_ID, POOR_HOUSEHOLD } from "../applications/helpers";

export const APPLICANT_PHONE = "13800138000";
export const PROXY_PHONE = "13900139000";

export async function createCase(overrides: { applicantPhone?: string; proxyPhone?: string | null } = {}) {
  const proxyPhone = overrides.proxyPhone === undefined ? PROXY_PHONE : overrides.proxyPhone;
  const result = await submitApplication(db, {
    applicant: { name: "王秀英", idNumber: APPLICANT_ID, phone: overrides.applicantPhone ?? APPLICANT_PHONE, language: "en" },
    onBehalfOf: proxyPhone ? { name: "李明", phone: proxyPhone, relationship: "child", consent: "sms" } : null,
    household: POOR_HOUSEHOLD,
    programs: ["dibao"],
    channel: "web",
    actor: "resident",
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result;
}

export interface Answer {
  status: number;
  location: string | null;
  data: Record<string, unknown> | null;
  headers: Headers;
}

type Handler = (args: ActionFunctionArgs | LoaderFunctionArgs) => Promise<unknown>;

/** A browser with its cookie jar (only the tracking cookie matters here) and an IP. */
export class Browser {
  cookie = "";
  constructor(
    readonly ip = "203.0.113.7",
    readonly lng: "zh-CN" | "en" = "en",
  ) {}

  async run(handler: Handler, request: Request): Promise<Answer> {
    const context: AppLoadContext = { clientIp: this.ip };
    let response: Response;
    try {
      response = (await handler({ request, params: {}, context })) as Response;
    } catch (thrown) {
      if (!(thrown instanceof Response)) throw thrown;
      response = thrown;
    }
    const setCookie = response.headers.get("Set-Cookie");
    if (setCookie) this.cookie = setCookie.split(";")[0];
    const location = response.headers.get("Location");
    const text = location ? "" : await response.text();
    return { status: response.status, location, data: text ? (JSON.parse(text) as Record<string, unknown>) : null, headers: response.headers };
  }

  post(handler: Handler, path: string, fields: Record<string, string>): Promise<Answer> {
    return this.run(
      handler,
      new Request(`http://localhost${path}?lng=${this.lng}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: this.cookie },
        body: new URLSearchParams(fields),
      }),
    );
  }

  postForm(handler: Handler, path: string, form: FormData): Promise<Answer> {
    return this.run(handler, new Request(`http://localhost${path}?lng=${this.lng}`, { method: "POST", headers: { Cookie: this.cookie }, body: form }));
  }

  get(handler: Handler, path: string): Promise<Answer> {
    return this.run(handler, new Request(`http://localhost${path}${path.includes("?") ? "&" : "?"}lng=${this.lng}`, { headers: { Cookie: this.cookie } }));
  }

  sendCode(reference: string, phone: string) {
    return this.post(startAction, "/track", { reference, phone });
  }

  enterCode(code: string) {
    return this.post(codeAction, "/track/code", { code });
  }

  casePage() {
    return this.get(caseLoader, "/track/case");
  }

  caseAction(fields: Record<string, string>) {
    return this.post(caseAction, "/track/case", fields);
  }

  /** Send, read the text, enter the code: signed in (asserts nothing; callers check). */
  async signIn(reference: string, phone: string): Promise<Answer> {
    await this.sendCode(reference, phone);
    const code = await lastCodeTo(phone);
    if (!code) throw new Error("no code was texted");
    return this.enterCode(code);
  }
}

function e164(phone: string): string {
  return `+86${phone}`;
}

/** The 6-digit code in the newest text to this phone, or null when the newest text has none. */
export async function lastCodeTo(phone: string): Promise<string | null> {
  const message = await db.outboxMessage.findFirst({ where: { to: e164(phone) }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return message?.body.match(/\b(\d{6})\b/)?.[1] ?? null;
}

export function textsTo(phone: string): Promise<number> {
  return db.outboxMessage.count({ where: { to: e164(phone) } });
}
