// The direct lane (app/server/app.ts DIRECT_ACTIONS) for POST /api/v1/eligibility
// answers exactly as Remix does: the same real route module is served by two
// apps over real HTTP, one with the lane and one sending everything through
// Remix's request handler, and each request gets the same status, the same
// headers and the same body bytes from both (the action's call stack shows
// which way it came). Only what is per response or per connection may differ:
// Date and the CSP nonce. One known difference: with Accept-Encoding, Remix
// compresses even a small answer (it streams, so compression cannot see its
// length) and the lane does not; both decompress to the same bytes.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as eligibilityRoute from "~/routes/api.v1.eligibility";
import { createApp } from "~/server/app";

const handleError = vi.fn();
const lanePage = vi.fn(() => new Response("page"));
// How each call reached the action: Remix's calls come through its server runtime.
const callers: string[] = [];
const routeModule = {
  ...eligibilityRoute,
  action: (args: Parameters<typeof eligibilityRoute.action>[0]) => {
    callers.push(/@remix-run[/\\]server-runtime/.test(new Error().stack ?? "") ? "remix" : "lane");
    return eligibilityRoute.action(args);
  },
};

const build = {
  mode: "production",
  future: {},
  basename: undefined,
  publicPath: "/build/",
  assetsBuildDirectory: "public/build",
  assets: { entry: { module: "", imports: [] }, routes: {}, url: "", version: "test" },
  entry: { module: { default: lanePage, handleError } },
  routes: {
    root: { id: "root", path: "", module: { default: () => null } },
    "routes/api.v1.eligibility": { id: "routes/api.v1.eligibility", parentId: "root", path: "api/v1/eligibility", module: routeModule },
  },
} as unknown as ServerBuild;

const servers: Server[] = [];
let lane = "";
let remix = "";

async function listen(directActions: boolean): Promise<string> {
  const server = createApp({ build, production: true, directActions }).listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((resolve) => server.once("listening", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  [lane, remix] = await Promise.all([listen(true), listen(false)]);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

interface Raw {
  status: number;
  statusMessage: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The answer as it came over the wire (node:http: no decompression, every header). */
function ask(
  base: string,
  {
    method = "POST",
    pathname = "/api/v1/eligibility",
    headers = {},
    body,
  }: { method?: string; pathname?: string; headers?: Record<string, string>; body?: string | Buffer }
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}${pathname}`, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          statusMessage: response.statusMessage ?? "",
          headers: response.headers,
          body: Buffer.concat(chunks),
        })
      );
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

// Per response or per connection; the CSP is compared with its nonce blanked.
const FRAMING = new Set(["date", "content-length", "transfer-encoding", "connection", "keep-alive"]);

function comparable(raw: Raw) {
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw.headers)) {
    if (FRAMING.has(name)) continue;
    headers[name] = name === "content-security-policy" ? String(value).replace(/'nonce-[^']+'/, "'nonce-…'") : value;
  }
  return { status: raw.status, statusMessage: raw.statusMessage, headers, body: raw.body.toString("base64") };
}

const example = JSON.parse(fs.readFileSync(path.resolve("../shared/policy/examples.json"), "utf8"))[0] as {
  asOf: string;
  household: unknown;
};
const valid = JSON.stringify({ asOf: example.asOf, household: example.household });
const json = { "content-type": "application/json" };

const CASES: Array<[string, Parameters<typeof ask>[1]]> = [
  ["a valid household, Chinese by default", { headers: json, body: valid }],
  ["a valid household, English from Accept-Language", { headers: { ...json, "accept-language": "en-GB,en;q=0.9" }, body: valid }],
  ["a valid household, English from ?lng=en", { pathname: "/api/v1/eligibility?lng=en", headers: json, body: valid }],
  ["a valid household, English from the lng cookie", { headers: { ...json, cookie: "lng=en" }, body: valid }],
  [
    "a household with errors (400)",
    { headers: { ...json, "accept-language": "en" }, body: JSON.stringify({ household: { members: [{ age: -1 }] }, extra: 1 }) },
  ],
  ["malformed JSON (400)", { headers: json, body: '{"household":' }],
  ["a body not declared as JSON (415)", { headers: { "content-type": "text/plain" }, body: valid }],
  ["a body over the limit, declared (413)", { headers: json, body: Buffer.alloc(300 * 1024, 0x20) }],
  ["a body over the limit, chunked (413)", { headers: { ...json, "transfer-encoding": "chunked" }, body: Buffer.alloc(300 * 1024, 0x20) }],
  ["an empty body (400)", { headers: { ...json, "content-length": "0" } }],
  ["a date before any rules (400)", { headers: json, body: JSON.stringify({ asOf: "1999-01-01", household: example.household }) }],
  ["GET (405, through Remix on both)", { method: "GET", headers: {} }],
];

describe("the direct lane for POST /api/v1/eligibility", () => {
  it.each(CASES)("answers %s with the same status, headers and bytes as Remix", async (_name, request) => {
    callers.length = 0;
    const fromLane = await ask(lane, request);
    const fromRemix = await ask(remix, request);
    expect(comparable(fromLane)).toEqual(comparable(fromRemix));
    expect(fromLane.status).toBeLessThan(500);
    // each came its own way (GET has no action: the loader answers through Remix on both)
    expect(callers).toEqual(request?.method === "GET" ? [] : ["lane", "remix"]);
  });

  it("sends a small answer uncompressed where Remix compresses it; both are the same bytes once decompressed", async () => {
    const request = { headers: { ...json, "accept-encoding": "gzip" }, body: "{" };
    const [fromLane, fromRemix] = await Promise.all([ask(lane, request), ask(remix, request)]);
    expect(fromLane.status).toBe(400);
    expect(fromRemix.status).toBe(400);
    expect(fromLane.headers["content-encoding"]).toBeUndefined();
    expect(fromRemix.headers["content-encoding"]).toBe("gzip");
    expect(fromLane.body.equals(zlib.gunzipSync(fromRemix.body))).toBe(true);
  });

  it("compresses a large answer as Remix does; the bytes decompress to the same answer", async () => {
    const request = { headers: { ...json, "accept-encoding": "gzip" }, body: valid };
    const [fromLane, fromRemix] = await Promise.all([ask(lane, request), ask(remix, request)]);
    expect(fromLane.status).toBe(200);
    expect(fromLane.headers["content-encoding"]).toBe("gzip");
    expect(fromRemix.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(fromLane.body).equals(zlib.gunzipSync(fromRemix.body))).toBe(true);
    expect(fromLane.headers.vary).toBe(fromRemix.headers.vary);
  });

  it("leaves Remix's ?_data= requests to Remix", async () => {
    const request = { pathname: "/api/v1/eligibility?_data=routes%2Fapi.v1.eligibility", headers: json, body: valid };
    callers.length = 0;
    const fromLane = await ask(lane, request);
    const fromRemix = await ask(remix, request);
    expect(comparable(fromLane)).toEqual(comparable(fromRemix));
    expect(callers).toEqual(["remix", "remix"]);
  });

  it("never needed the error log or a page", () => {
    expect(handleError).not.toHaveBeenCalled();
    expect(lanePage).not.toHaveBeenCalled();
  });
});
