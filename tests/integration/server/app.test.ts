// app/server/app.ts with a small stand-in build, over real HTTP on loopback:
// public files are still served (and only they touch the disk), the partner
// API's submission is answered by its route action directly with what Remix
// would give it (URL, headers, body, params, load context) and answered as
// Remix would (a thrown Response is the answer with X-Remix-Catch, an error is
// logged through handleError and is a plain 500), other methods still reach
// Remix, small JSON is not compressed, and loopback is trusted as a proxy.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp, trustLoopback } from "~/server/app";

let server: Server;
let base = "";
const seen: Array<{ url: string; method: string; body: string; context: Record<string, unknown>; params: unknown }> = [];
const handleError = vi.fn();

// Only what the direct lane and Remix's handler creation read from a build.
const build = {
  mode: "production",
  future: {},
  basename: undefined,
  publicPath: "/build/",
  assetsBuildDirectory: "public/build",
  assets: { entry: { module: "", imports: [] }, routes: {}, url: "", version: "test" },
  entry: { module: { default: () => new Response("page"), handleError } },
  routes: {
    root: { id: "root", path: "", module: { default: () => null } },
    "routes/api.v1.applications": {
      id: "routes/api.v1.applications",
      parentId: "root",
      path: "api/v1/applications",
      module: {
        loader: () => new Response("loader via remix", { status: 405 }),
        action: async ({ request, params, context }: { request: Request; params: unknown; context: Record<string, unknown> }) => {
          const body = await request.text();
          seen.push({ url: request.url, method: request.method, body, context: { cspNonce: context.cspNonce, clientIp: context.clientIp }, params });
          if (body === "throw-response") throw new Response('{"errors":[]}', { status: 401, headers: { "Content-Type": "application/json" } });
          if (body === "throw-error") throw new Error("boom");
          const text = JSON.stringify({ reference: "LA-TEST-TEST", echo: body.length });
          return new Response(text, { status: 201, headers: { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(text)) } });
        },
      },
    },
  },
} as unknown as ServerBuild;

beforeAll(async () => {
  const app = createApp({ build, production: true });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("the direct lane for POST /api/v1/applications", () => {
  it("hands the action the request Remix would, and sends its answer as it is, uncompressed when small", async () => {
    const response = await fetch(`${base}/api/v1/applications?x=1`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept-Encoding": "gzip", "X-Test": "yes" },
      body: '{"a":1}',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("content-encoding")).toBeNull();
    // The security headers too; a JSON answer's CSP allows no inline script at all (no nonce).
    expect(response.headers.get("content-security-policy")).toMatch(/script-src 'self'; /);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await response.json()).toEqual({ reference: "LA-TEST-TEST", echo: 7 });
    const last = seen.at(-1)!;
    expect(last.url).toBe(`${base}/api/v1/applications?x=1`);
    expect(last.method).toBe("POST");
    expect(last.body).toBe('{"a":1}');
    expect(last.params).toEqual({});
    expect(last.context.clientIp).toBe("127.0.0.1");
    expect(typeof last.context.cspNonce).toBe("string");
  });

  it("answers a thrown Response as Remix does, and a thrown error with a logged plain 500", async () => {
    const thrown = await fetch(`${base}/api/v1/applications`, { method: "POST", body: "throw-response" });
    expect(thrown.status).toBe(401);
    expect(thrown.headers.get("x-remix-catch")).toBe("yes");
    expect(await thrown.text()).toBe('{"errors":[]}');

    const failed = await fetch(`${base}/api/v1/applications`, { method: "POST", body: "throw-error" });
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe("Unexpected Server Error");
    expect(handleError).toHaveBeenCalledWith(expect.objectContaining({ message: "boom" }), expect.objectContaining({ params: {} }));
  });

  it("leaves other methods on the path to Remix", async () => {
    const response = await fetch(`${base}/api/v1/applications`);
    expect(response.status).toBe(405);
    expect(await response.text()).toBe("loader via remix");
  });
});

describe("public files", () => {
  it("are still served from public/ with their cache time, and an undecodable address is still refused", async () => {
    const favicon = await fetch(`${base}/favicon.svg`);
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(await favicon.text()).toContain("<svg");
    const locale = await fetch(`${base}/locales/en/common.json`);
    expect(locale.status).toBe(200);
    const escaped = await fetch(`${base}/favicon%2Esvg`);
    expect(escaped.status).toBe(200);
    const undecodable = await fetch(`${base}/%`);
    expect(undecodable.status).toBe(400);
  });
});

describe("trustLoopback", () => {
  it("trusts the loopback addresses Express's preset trusts, and nothing else", () => {
    for (const address of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) expect(trustLoopback(address)).toBe(true);
    for (const address of [undefined, "", "10.0.0.1", "::ffff:10.0.0.1", "128.0.0.1", "::2", "fe80::1", "1.127.0.0"]) expect(trustLoopback(address)).toBe(false);
  });
});
