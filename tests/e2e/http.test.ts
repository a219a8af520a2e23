// What every response promises over plain HTTP: security headers with a
// per-request script nonce, a health check, and error pages that never show
// a stack trace.
import { baseURL } from "../support/browser";

const STACK_TRACE = /\n\s+at |node_modules|\.tsx?:\d+/;

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name, values]),
  );
}

describe("security headers", () => {
  it("pages carry a strict CSP with a fresh nonce and the other protective headers", async () => {
    // A page rendered for each visit (the anonymous start page is shared: shared-page.test.ts).
    const first = await fetch(`${baseURL()}/callback`);
    const second = await fetch(`${baseURL()}/callback`);
    expect(first.status).toBe(200);
    const csp = directives(first.headers.get("content-security-policy") ?? "");
    const scriptSrc = csp.get("script-src") ?? [];
    expect(scriptSrc).toContain("'self'");
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    const nonce = scriptSrc.find((value) => value.startsWith("'nonce-"));
    expect(nonce).toMatch(/^'nonce-[A-Za-z0-9+/=]{16,}'$/);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("referrer-policy")).toMatch(/^(same-origin|no-referrer|strict-origin|strict-origin-when-cross-origin)$/);

    // The nonce is per response and is the one the page's scripts carry.
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
    const html = await first.text();
    const value = nonce!.slice("'nonce-".length, -1);
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${value}"`);
  });

  it("the 404 page and the health check carry the headers too", async () => {
    for (const path of ["/no-such-page", "/healthz"]) {
      const response = await fetch(`${baseURL()}${path}`);
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
    }
  });
});

describe("/healthz", () => {
  it("answers 200 ok while the database answers", async () => {
    const response = await fetch(`${baseURL()}/healthz`);
    expect(response.status).toBe(200);
    expect((await response.text()).trim()).toBe("ok");
  });
});

describe("not found", () => {
  it("answers 404 with a full page and no stack trace", async () => {
    const response = await fetch(`${baseURL()}/no-such-page/deeper?x=1`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).not.toMatch(STACK_TRACE);
  });
});

describe("failures before and around Remix", () => {
  it("answers an address that cannot be decoded with 400 and a plain message in the person's language", async () => {
    for (const [language, expected] of [["en-US", /web address is not valid/], ["zh-CN", /网址有误/]] as const) {
      const response = await fetch(`${baseURL()}/%`, { headers: { "Accept-Language": language } });
      expect(response.status).toBe(400);
      const body = await response.text();
      expect(body).toMatch(expected);
      expect(body).not.toMatch(STACK_TRACE);
    }
  });

  it("never puts a stack trace into a data request for a route that does not exist", async () => {
    const response = await fetch(`${baseURL()}/?_data=routes/nope`);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await response.text()).not.toMatch(STACK_TRACE);
  });
});

describe("posts that are not forms", () => {
  it("answers a page's form action sent JSON or plain text with 415 and a plain message, never a 500", async () => {
    for (const [path, type, body] of [
      ["/staff/login", "application/json", '{"username":"a","password":"b"}'],
      ["/chat", "text/plain", "hello"],
      ["/staff/cases/LA-AAAA-AAAA", "application/json", "{}"],
      ["/apply/details", "application/xml", "<a/>"],
    ] as const) {
      const response = await fetch(`${baseURL()}${path}`, { method: "POST", headers: { "content-type": type, "accept-language": "en" }, body, redirect: "manual" });
      const text = await response.text();
      expect(response.status, path).toBe(415);
      expect(text, path).toMatch(/only accepts what its own form sends/);
      expect(text, path).not.toMatch(STACK_TRACE);
    }
  });

  it("leaves the JSON API and the chat webhook to read their own JSON", async () => {
    const api = await fetch(`${baseURL()}/api/v1/callbacks`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(api.status).toBe(400);
    expect(await api.json()).toHaveProperty("errors");
    const chat = await fetch(`${baseURL()}/chat/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "message", user: "e2e-415-check", channel: "webhook", text: "hello" }),
    });
    expect(chat.status).toBe(200);
    expect(Array.isArray(await chat.json())).toBe(true);
  });
});
