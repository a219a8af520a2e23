// Shared by the abuse-limit tests: calling a route module's action as Remix
// would (with the client address in the load context, as app/server/app.ts
// puts it there), and a clock set to the start of a rate-limit window so a
// test never straddles two windows (the limiter counts in fixed windows).
import type { AppLoadContext } from "@remix-run/node";
import { vi } from "vitest";

export interface Answer {
  status: number;
  location: string | null;
  headers: Headers;
  data: Record<string, unknown> | null;
  text: string;
}

type Handler = (args: { request: Request; params: Record<string, string>; context: AppLoadContext }) => unknown;

export async function callRoute(
  handler: Handler,
  request: Request,
  { ip = null, params = {} }: { ip?: string | null; params?: Record<string, string> } = {}
): Promise<Answer> {
  const context: AppLoadContext = ip ? { clientIp: ip } : {};
  let response: Response;
  try {
    response = (await handler({ request, params, context })) as Response;
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  const location = response.headers.get("Location");
  const text = location ? "" : await response.text();
  let data: Record<string, unknown> | null = null;
  try {
    data = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    data = null;
  }
  return { status: response.status, location, headers: response.headers, data, text };
}

export function formPost(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Request {
  return new Request(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields),
  });
}

export function jsonPost(url: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
}

/** A moment at the start of a day (so at the start of every shorter window too), `days` after a fixed one. */
export function windowStart(days = 0): number {
  return Date.UTC(2026, 11, 1) + days * 24 * 60 * 60_000;
}

/** Fakes Date only (timers, Prisma and sockets run as usual) and sets the clock. */
export function setClock(at: number): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(at);
}

export function realClock(): void {
  vi.useRealTimers();
}

/** Distinct test addresses (TEST-NET-2) and mobile numbers. */
export const ip = (n: number) => `198.51.100.${n}`;
export const phone = (n: number) => `139${String(n).padStart(8, "0")}`;
export const e164 = (n: number) => `+86${phone(n)}`;
