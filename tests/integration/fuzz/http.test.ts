// Fuzzes every action over real HTTP through the app's Express app
// (app/server/app.ts: security headers, compression, the form gate, the
// direct lane for the partner API, Remix's request handler in production
// mode, the last-resort error handler). The Remix build is made from the route
// modules themselves (@remix-run/dev's flat-routes gives their ids, parents
// and paths) without their page components, so each is answered as Remix
// answers a resource route: the action's own Response, a thrown Response, or
// a logged 500 for anything else thrown. Bodies of every kind (any Content-Type
// or none, malformed multipart, raw bytes, large) and odd addresses. Property:
// never a 5xx, no stack trace, a page action refuses what its form cannot send
// (415); afterwards GET /healthz is 200.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { flatRoutes } from "@remix-run/dev/dist/config/flat-routes.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "~/server/app";
import { makeTemporaryUploadDir } from "../applications/helpers";
import {
  describeBody,
  encodeBody,
  formBody,
  hostileString,
  wellFormed,
} from "../../support/fuzz-inputs";
import { send } from "../../support/fuzz-http";
import type { Handler } from "../../support/fuzz-routes";

makeTemporaryUploadDir();

interface ActionRoute {
  file: string;
  /** an address it answers, params filled in */
  url: string;
  api: boolean;
}

let server: http.Server;
let base = "";
const actionRoutes: ActionRoute[] = [];
/** Errors Remix handed to handleError (each one a 500). */
const handled: unknown[] = [];

/** A sample value for each kind of param, so the address reaches the route. */
function fill(routePath: string): string {
  return routePath
    .split("/")
    .map((segment) =>
      segment === "*"
        ? "who"
        : segment.startsWith(":")
        ? segment === ":reference"
          ? "LA-0000-0000"
          : "00000000-0000-4000-8000-000000000000"
        : segment
    )
    .join("/");
}

/** The full address of a route: its path after its parents'. */
function fullPath(manifest: ReturnType<typeof flatRoutes>, id: string): string {
  const parts: string[] = [];
  for (
    let route = manifest[id];
    route;
    route = route.parentId ? manifest[route.parentId] : (undefined as never)
  )
    if (route.path) parts.unshift(route.path);
  return `/${parts.join("/")}`;
}

beforeAll(async () => {
  const manifest = flatRoutes(path.resolve("app"));
  const routes: Record<string, unknown> = {
    root: { id: "root", path: "", module: { default: () => null } },
  };
  for (const route of Object.values(manifest)) {
    const mod = (await import(
      /* @vite-ignore */ path.resolve("app", route.file)
    )) as { loader?: Handler; action?: Handler };
    // No page component: Remix answers each as a resource route (what the action or loader gives).
    routes[route.id] = {
      id: route.id,
      parentId: route.parentId ?? "root",
      path: route.path,
      index: route.index,
      module: { loader: mod.loader, action: mod.action },
    };
    if (mod.action) {
      const url = fill(fullPath(manifest, route.id));
      actionRoutes.push({
        file: path.basename(route.file),
        url,
        api: url.startsWith("/api/"),
      });
    }
  }
  const build = {
    mode: "production",
    future: {},
    basename: undefined,
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    assets: {
      entry: { module: "", imports: [] },
      routes: {},
      url: "",
      version: "fuzz",
    },
    entry: {
      module: {
        default: () => new Response("page"),
        handleError: (error: unknown) => handled.push(error),
      },
    },
    routes,
  } as unknown as ServerBuild;
  server = http.createServer(createApp({ build, production: true }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const STACK =
  /\n\s+at [^\n]+:\d+:\d+|node_modules\/|\/app\/(routes|models|services)\/|\bTypeError\b|\bPrisma\w*Error\b/;
const ALLOWED = [400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 429];

/** Any body with any Content-Type (or none): the form bodies of fuzz-inputs.ts, and what no form sends. */
const anyBody = fc.oneof(
  {
    arbitrary: formBody(
      ["phone", "intent", "csrf", "code", "reference", "text", "file", "type"],
      ["send", "next", "1"]
    ).map((spec) => ({
      spec,
      override: undefined as string | null | undefined,
    })),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      spec: hostileString(['{"a":1}', "<x/>", "a=1"]).map((body) => ({
        kind: "raw" as const,
        contentType: "",
        body,
      })),
      override: fc.constantFrom(
        null,
        "application/json",
        "text/plain",
        "text/xml",
        "application/octet-stream",
        "application/x-www-form-urlencodedX",
        "multipart/mixed; boundary=zz",
        "*/*",
        "garbage"
      ),
    }),
    weight: 3,
  }
);

function sendable(headerValue: string): string {
  return headerValue.replace(/[^\x20-\x7e]/g, "");
}

describe("every action over HTTP through the Express app", () => {
  it("finds the actions (the app's route files, with their paths)", () => {
    expect(actionRoutes.map((r) => r.url)).toEqual(
      expect.arrayContaining([
        "/callback",
        "/check/who",
        "/api/v1/applications",
        "/staff/login",
      ])
    );
  });

  it("never answers 5xx or shows a stack trace, whatever is posted", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(1_000),
        anyBody,
        fc.constantFrom(
          "",
          "?lng=en",
          "?index",
          "?_data=root",
          `?x=${"%".repeat(3)}`
        ),
        async (which, { spec, override }, query) => {
          const route = actionRoutes[which % actionRoutes.length];
          const { body, contentType } = encodeBody(spec);
          const headers = new Headers({ "Accept-Language": "en" });
          const type = override === undefined ? contentType : override;
          if (type) headers.set("Content-Type", sendable(type));
          if (override !== undefined && type === null)
            headers.delete("Content-Type");
          const res = await send(`${base}${route.url}${query}`, {
            method: "POST",
            headers,
            body,
          });
          const text = res.text;
          const label = `POST ${route.url}${query} (${route.file}) ${
            type ?? "(no type)"
          } ${describeBody(spec)}`;
          if (
            res.status >= 500 ||
            (res.status >= 400 && !ALLOWED.includes(res.status))
          )
            throw new Error(`${label}: ${res.status} ${text.slice(0, 300)}`);
          if (STACK.test(text))
            throw new Error(
              `${label}: internals in the answer: ${text.slice(0, 300)}`
            );
          // A page takes only what its own form sends: anything else is 415 before the action runs.
          const mediaType = (
            type ?? (spec.kind === "multipart" ? "multipart/form-data" : "")
          )
            .split(";")[0]
            .trim()
            .toLowerCase();
          if (
            !route.api &&
            ![
              "application/x-www-form-urlencoded",
              "multipart/form-data",
            ].includes(mediaType) &&
            res.status !== 415
          )
            throw new Error(`${label}: expected 415, got ${res.status}`);
        }
      ),
      { numRuns: 60 }
    );
    // Remix also reports its own 4xx (a POST with ?_data=root is a 405): only errors it answered with a 5xx count.
    const serverErrors = handled.filter(
      (e) =>
        !(
          e !== null &&
          typeof e === "object" &&
          "status" in e &&
          typeof e.status === "number" &&
          e.status < 500
        )
    );
    expect(serverErrors, "errors Remix had to answer with a 500").toEqual([]);
  }, 120_000);

  it("odd addresses and methods are answered with a 4xx, never a 5xx", async () => {
    const address = fc.oneof(
      fc.constantFrom(
        "/%",
        "/%E4%B8",
        "/check/%ZZ",
        "/apply/invite/%ED%A0%80",
        "/notice/%00/objection",
        "/staff/callbacks/%2e%2e",
        "/api/v1/applications/%/evidence",
        "//",
        "/callback?%=%",
        `/check/${"a/".repeat(200)}`
      ),
      hostileString().map((s) => `/check/${encodeURIComponent(wellFormed(s))}`)
    );
    await fc.assert(
      fc.asyncProperty(
        address,
        fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
        async (url, method) => {
          const res = await send(`${base}${url}`, {
            method,
            headers:
              method === "GET"
                ? {}
                : { "Content-Type": "application/x-www-form-urlencoded" },
            body: method === "GET" ? undefined : "a=1",
          });
          const text = res.text;
          if (res.status >= 500)
            throw new Error(
              `${method} ${url}: ${res.status} ${text.slice(0, 300)}`
            );
          if (STACK.test(text))
            throw new Error(
              `${method} ${url}: internals in the answer: ${text.slice(0, 300)}`
            );
        }
      ),
      { numRuns: 40 }
    );
  });

  it("regression: a malformed multipart body is a 400 with a plain message, not a 500", async () => {
    for (const url of ["/callback", "/check/who", "/track", "/staff/login"]) {
      const res = await send(`${base}${url}`, {
        method: "POST",
        headers: {
          "Content-Type": "multipart/form-data",
          "Accept-Language": "en",
        },
        body: "a=1",
      });
      expect(res.status, url).toBe(400);
      expect(res.text, url).toMatch(/only accepts what its own form sends/);
    }
  });

  it("is healthy afterwards: GET /healthz is 200", async () => {
    const res = await send(`${base}/healthz`, {});
    expect(res.status).toBe(200);
    expect(res.text).toBe("ok");
  });
});
