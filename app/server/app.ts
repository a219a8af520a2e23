// The one HTTP server: static assets, then every page and API through Remix
// (the two busiest JSON actions by a direct lane to their route modules).
// The chat bot and SMS webhook mount here too (issue 4), so one port serves all.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { createRequestHandler } from "@remix-run/express";
import { createReadableStreamFromReadable, type ActionFunction, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { fixedT } from "../services/i18n.server";
import { securityHeaders } from "./security-headers";
import { sharedPages } from "./shared-pages";

// Last resort for what fails before Remix (e.g. an undecodable address such as
// "/%"): a short message in the person's language, never Express's stack trace.
const lastResort: ErrorRequestHandler = (error: { status?: number; statusCode?: number }, req, res, _next) => {
  const status = error.status ?? error.statusCode ?? 500;
  const lng = req.acceptsLanguages("zh-CN", "zh", "en") === "en" ? "en" : "zh-CN";
  const t = fixedT(lng, "common");
  if (res.headersSent) return res.end();
  res
    .status(status >= 400 && status < 600 ? status : 500)
    .type("text/plain; charset=utf-8")
    .send(status >= 400 && status < 500 ? t("errors.badAddress") : `${t("errors.genericTitle")}. ${t("errors.genericBody")}`);
};

/**
 * Brotli (what browsers ask for first) at compression's own quality 4, with a
 * 256 KiB window instead of brotli's 4 MiB: every answer makes its own encoder,
 * and the large window's buffers were most of a page's compression cost. Our
 * pages, JSON and bundles (the largest is about 250 KiB) compress to the same
 * size either way.
 */
const COMPRESSION: compression.CompressionOptions = {
  brotli: { params: { [zlib.constants.BROTLI_PARAM_LGWIN]: 18 } },
};

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

// Pages take posts from their own forms only. Any other body (JSON, plain
// text) would make a route's request.formData() throw, which would surface as
// a 500: it is refused here with 415 and a plain message instead. The JSON API
// (/api/) and the bot's routes (mounted before this) read their own bodies.
const formPostsOnly: RequestHandler = (req, res, next) => {
  if (req.method !== "POST" || req.path.startsWith("/api/")) return next();
  const type = (req.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
  if (FORM_TYPES.has(type)) return next();
  const lng = req.acceptsLanguages("zh-CN", "zh", "en") === "en" ? "en" : "zh-CN";
  res.status(415).type("text/plain; charset=utf-8").send(fixedT(lng, "common")("errors.formType"));
};

/**
 * Serves public/ only for addresses whose first segment names something in
 * public/ (favicon.svg, locales/, build/…). A plain express.static in front of
 * everything asks the disk about every page and API request (a stat each)
 * before Remix answers it; under load that is a measurable share of a small
 * request. The names are read once at start: public/ is part of the
 * deployment, not written while serving (uploads live elsewhere). Addresses
 * that cannot be decoded still go to express.static, which refuses them as
 * before.
 */
function publicFiles(dir: string, serve: RequestHandler): RequestHandler {
  const names = new Set(fs.readdirSync(dir));
  return (req, res, next) => {
    const first = req.path.split("/", 2)[1] ?? "";
    let name: string;
    try {
      name = decodeURIComponent(first);
    } catch {
      return serve(req, res, next);
    }
    if (!names.has(name)) return next();
    return serve(req, res, next);
  };
}

/**
 * "trust proxy" for loopback only (127.0.0.0/8, ::1, and IPv4-mapped
 * 127.x): the same addresses as Express's "loopback" preset, checked with
 * string tests. The preset parses the peer's address with ipaddr.js on every
 * request that asks for req.ip, req.protocol or req.hostname (Remix asks for
 * the last two on every request): a few percent of a small request's CPU.
 */
export function trustLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address.startsWith("127.") || address === "::1" || address.startsWith("::ffff:127.");
}

/**
 * Resource routes answered by calling the route module's action directly,
 * without Remix's request pipeline: the partner API's submission and the
 * eligibility API are the busiest JSON endpoints (issue 3's bench: 16 partners
 * at once; issue 7's: 32 clients against a bare node:http server), and for a
 * resource route Remix adds little but cost (it ranks every route of the app
 * on each request, twice, then streams a small answer through a web stream).
 * The module is the same one Remix would call, from the same build, with the
 * same Request (URL, method, headers, body, abort on disconnect), params and
 * load context; answers are handled as Remix does for a resource route: a
 * thrown Response is the answer (with X-Remix-Catch), anything else is logged
 * through the build's handleError and answered with a plain 500. What differs
 * is only how the bytes travel: the whole answer is handed to Node in one
 * write, where Remix pipes a web stream (so compression sees its length, and a
 * small answer stays under compression's threshold).
 * Other methods on these paths (GET → 405), and Remix's own `?_data=`
 * requests, still go through Remix.
 */
const DIRECT_ACTIONS: Array<{ path: string; routeId: string }> = [
  { path: "/api/v1/applications", routeId: "routes/api.v1.applications" },
  { path: "/api/v1/eligibility", routeId: "routes/api.v1.eligibility" },
];

type LoadContext = (req: express.Request, res: express.Response) => Record<string, unknown>;

/**
 * Bodies up to this size whose length is declared are read before the route
 * sees them and handed over as bytes: the same bytes the route would read from
 * the stream, without a web stream around the socket for each request. The
 * routes' own limits (413) are larger; anything else is streamed as Remix does.
 */
const BUFFERED_BODY_MAX_BYTES = 64 * 1024;

function declaredSmallBody(req: express.Request): boolean {
  if (req.headers["transfer-encoding"] !== undefined) return false;
  const declared = req.headers["content-length"];
  if (declared === undefined || !/^\d+$/.test(declared)) return false;
  return Number(declared) <= BUFFERED_BODY_MAX_BYTES;
}

// The client went away while sending: nobody is left to answer.
const BODY_CUT_SHORT = new Error("request body cut short");

/** The whole body (Node checks it against Content-Length); rejects when the client goes away first. */
function readBody(req: express.Request): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(BODY_CUT_SHORT);
    });
  });
}

async function requestFrom(req: express.Request, res: express.Response): Promise<Request> {
  // As @remix-run/express builds it: host and port (X-Forwarded-Host first), the full path.
  const [, forwardedPort] = req.get("X-Forwarded-Host")?.split(":") ?? [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const port = Number.isSafeInteger(Number.parseInt(forwardedPort, 10))
    ? Number.parseInt(forwardedPort, 10)
    : Number.isSafeInteger(Number.parseInt(hostPort, 10))
      ? Number.parseInt(hostPort, 10)
      : "";
  const url = `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`;
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const one of value) headers.append(key, one);
    else if (value !== undefined) headers.set(key, value);
  }
  let controller: AbortController | null = new AbortController();
  const signal = controller.signal;
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  const body = declaredSmallBody(req) ? await readBody(req) : createReadableStreamFromReadable(req);
  return new Request(url, { method: req.method, headers, signal, body, duplex: "half" } as RequestInit);
}

/** The response with one more header (a copy when its headers are immutable, as Remix does). */
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

async function send(res: express.Response, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  // JSON answers of a few hundred bytes: one write, with its length.
  res.end(Buffer.from(await response.arrayBuffer()));
}

function directAction(build: ServerBuild, routeId: string, loadContext: LoadContext): RequestHandler | null {
  const action = build.routes[routeId]?.module.action as ActionFunction | undefined;
  if (!action) return null;
  const handleError = build.entry.module.handleError;
  return async (req, res, next) => {
    // Remix's data requests keep Remix's handling (X-Remix-Response and all).
    if (req.url.includes("_data")) return next();
    try {
      const request = await requestFrom(req, res);
      const context = loadContext(req, res);
      let response: Response;
      try {
        response = (await action({ request, params: {}, context })) as Response;
      } catch (error) {
        if (error instanceof Response) {
          response = withHeader(error, "X-Remix-Catch", "yes");
        } else {
          handleError?.(error, { request, params: {}, context });
          response = new Response("Unexpected Server Error", { status: 500, headers: { "Content-Type": "text/plain" } });
        }
      }
      await send(res, response);
    } catch (error) {
      if (error === BODY_CUT_SHORT) return void res.destroy();
      next(error);
    }
  };
}

export interface AppOptions {
  build: ServerBuild;
  production: boolean;
  /** The bot's routes (POST /chat/messages, POST /sms/twilio) from the server bundle; mounted before Remix. */
  bot?: express.RequestHandler;
  /** false: everything through Remix, no DIRECT_ACTIONS lanes (tests compare the two). */
  directActions?: boolean;
  /** false: the start page is rendered for each visit too (shared-pages.ts; tests compare the two). */
  sharePages?: boolean;
}

export function createApp({ build, production, bot, directActions = true, sharePages = true }: AppOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustLoopback);
  // Anonymous visits of the start page, from memory with their own headers (shared-pages.ts).
  if (sharePages) app.use(sharedPages({ build, production }));
  app.use(securityHeaders({ production }));
  // A request that accepts no encoding (API clients, load balancers' checks)
  // skips the compression middleware, which would only wrap the response to
  // find out that it may not compress it.
  const compress = compression(COMPRESSION);
  app.use((req, res, next) => (req.headers["accept-encoding"] ? compress(req, res, next) : next()));

  // clientIp: per-IP limits (trust proxy is loopback only, so it is the real client),
  // worked out only when a route asks for it.
  const loadContext: LoadContext = (req, res) => ({
    cspNonce: res.locals.cspNonce as string,
    get clientIp() {
      return req.ip;
    },
  });
  // First after the headers and compression every answer gets: nothing between
  // here and Remix answers these paths (no public file or bot route is named
  // api, and page-form checks skip /api/), so they need not ask.
  for (const { path: routePath, routeId } of directActions ? DIRECT_ACTIONS : []) {
    const handler = directAction(build, routeId, loadContext);
    if (handler) app.post(routePath, handler);
  }

  const publicDir = path.resolve("public");
  // Fingerprinted bundles can be cached for ever; everything else briefly.
  app.use("/build", express.static(path.join(publicDir, "build"), { immutable: true, maxAge: "1y", index: false }));
  app.use(publicFiles(publicDir, express.static(publicDir, { maxAge: "1h", index: false, dotfiles: "ignore" })));

  if (bot) app.use(bot);
  app.use(formPostsOnly);

  app.all(
    "*",
    createRequestHandler({
      build,
      // Always production: the build is a production build, and development
      // mode would put stack traces into data responses.
      mode: "production",
      getLoadContext: loadContext,
    }),
  );
  app.use(lastResort);
  return app;
}
