// Pages that are the same for every visitor who is not signed in (today the
// start page) are rendered once per language and then sent from memory, already
// compressed: the busiest page of a public service should not cost a full
// server render for each of thousands of identical visits (issue 7's goal:
// at least a third of a bare server sending the same bytes).
//
// What makes a visit shareable: GET or HEAD of a listed address with no query,
// no Authorization, and no cookie but the language one. Anything else (a staff
// session, ?lng=, a form's answer) goes through Remix as before. A page is kept
// only when its render proves it is the same for everyone: 200, no Set-Cookie,
// no form that posts (those need a per-page-load repeat token), and rendered
// with `sharedPage` in the load context, which makes the root loader leave the
// repeat token out (root.tsx asks for a fresh one on the first navigation).
//
// Scripts: a shared page cannot carry a per-request nonce, so its inline
// scripts (Remix's context and module loader, scroll restoration) are allowed
// by their SHA-256 hashes in its CSP instead; the CSP is otherwise the same.
import crypto from "node:crypto";
import zlib from "node:zlib";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import type { RequestHandler } from "express";
import Negotiator from "negotiator";
import type { Language } from "~/i18n";
import { getLanguage } from "../services/i18n.server";
import { contentSecurityPolicy, fixedSecurityHeaders } from "./security-headers";

/** Addresses whose page is the same for every anonymous visitor (no form, nothing personal). */
export const SHARED_PAGES = new Set(["/"]);

// As the compression middleware negotiates (app.ts): brotli first when asked for.
const ENCODINGS = ["br", "gzip", "deflate", "identity"];
const PREFERRED = ["br", "gzip"];
type Encoding = "br" | "gzip" | "identity";

/** Placeholder the render puts into nonce attributes; removed before the page is kept. */
const RENDER_NONCE = "shared-page-render";

/** At most this many distinct (address, header) combinations are remembered; then the memory starts afresh. */
const MAX_KEYS = 512;

interface SharedPage {
  headers: Array<[string, string]>;
  bodies: Record<Encoding, Buffer>;
  etag: string;
}

/** A rendered page, or null when the render showed it must not be shared. */
type Entry = Promise<SharedPage | null>;

/** Only the `lng` cookie (any number of times) or none at all. */
function onlyLanguageCookie(cookie: string | undefined): boolean {
  if (cookie === undefined || cookie === "") return true;
  return cookie.split(";").every((part) => part.trim().startsWith("lng="));
}

function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const [, attributes, content] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    if (/\bsrc=/.test(attributes)) continue;
    hashes.push(`'sha256-${crypto.createHash("sha256").update(content, "utf8").digest("base64")}'`);
  }
  return hashes;
}

function compressAll(html: Buffer): Record<Encoding, Buffer> {
  return {
    identity: html,
    // Once per page and language, so the smallest each encoding can do.
    br: zlib.brotliCompressSync(html, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: html.length,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      },
    }),
    gzip: zlib.gzipSync(html, { level: 9 }),
  };
}

export interface SharedPagesOptions {
  build: ServerBuild;
  production: boolean;
}

/** Express middleware: answers shareable visits of SHARED_PAGES from memory, passes everything else on. */
export function sharedPages({ build, production }: SharedPagesOptions): RequestHandler {
  const render = createRequestHandler(build, "production");
  const fixedHeaders = Object.entries(fixedSecurityHeaders({ production }));
  const pages = new Map<string, Entry>(); // address + language
  // address + the request's headers → its page and encoding; `settled` once rendered
  const byRequest = new Map<string, { page: Entry; encoding: Encoding; settled?: SharedPage | null }>();

  async function renderPage(address: string, lng: Language): Promise<SharedPage | null> {
    const request = new Request(`http://shared.invalid${address}`, { headers: { "Accept-Language": lng } });
    const response = await render(request, { cspNonce: RENDER_NONCE, sharedPage: true });
    const html = (await response.text()).replaceAll(` nonce="${RENDER_NONCE}"`, "");
    const shareable =
      response.status === 200 &&
      !response.headers.has("Set-Cookie") &&
      (response.headers.get("Content-Type") ?? "").startsWith("text/html") &&
      !/<form\b[^>]*method="post"/i.test(html) &&
      !html.includes(RENDER_NONCE);
    if (!shareable) return null;
    const bytes = Buffer.from(html, "utf8");
    const headers: Array<[string, string]> = [];
    for (const [name, value] of response.headers) if (name !== "content-length") headers.push([name, value]);
    headers.push(...fixedHeaders, ["Content-Security-Policy", contentSecurityPolicy(inlineScriptHashes(html))]);
    headers.push(["Vary", "Accept-Language, Cookie, Accept-Encoding"], ["Cache-Control", "no-cache"]);
    const etag = `"${crypto.createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"`;
    return { headers, bodies: compressAll(bytes), etag };
  }

  async function lookUp(address: string, request: Parameters<RequestHandler>[0]) {
    const lng = await getLanguage(
      new Request(`http://shared.invalid${address}`, {
        headers: { "Accept-Language": request.headers["accept-language"] ?? "", Cookie: request.headers.cookie ?? "" },
      }),
    );
    const pageKey = `${address}\n${lng}`;
    let page = pages.get(pageKey);
    if (!page) {
      page = renderPage(address, lng).catch(() => null);
      pages.set(pageKey, page);
    }
    // negotiator 0.6.4 takes the preferred list as compression passes it; its types predate that argument.
    const negotiator = new Negotiator(request) as unknown as { encoding(available: string[], preferred: string[]): string | undefined };
    const chosen = negotiator.encoding(ENCODINGS, PREFERRED);
    const encoding: Encoding = chosen === "br" || chosen === "gzip" ? chosen : "identity";
    return { page, encoding };
  }

  return (req, res, next) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !SHARED_PAGES.has(req.url)) return next();
    if (req.headers.authorization !== undefined || !onlyLanguageCookie(req.headers.cookie)) return next();
    const key = `${req.url}\n${req.headers["accept-language"] ?? ""}\n${req.headers.cookie ?? ""}\n${req.headers["accept-encoding"] ?? ""}`;
    const found = byRequest.get(key);
    const answer = (page: SharedPage | null, encoding: Encoding) => {
      if (!page) return next();
      for (const [name, value] of page.headers) res.setHeader(name, value);
      res.setHeader("ETag", page.etag);
      if (req.headers["if-none-match"] === page.etag) return void res.status(304).end();
      if (encoding !== "identity") res.setHeader("Content-Encoding", encoding);
      const body = page.bodies[encoding];
      res.setHeader("Content-Length", body.length);
      res.status(200).end(req.method === "HEAD" ? undefined : body);
    };
    if (found?.settled !== undefined) return answer(found.settled, found.encoding);
    if (found) {
      // The first visits wait for the render.
      const { page, encoding } = found;
      return void page.then((settled) => answer(settled, encoding), next);
    }
    lookUp(req.url, req)
      .then((lookedUp) => {
        if (byRequest.size >= MAX_KEYS) byRequest.clear();
        const entry: { page: Entry; encoding: Encoding; settled?: SharedPage | null } = lookedUp;
        byRequest.set(key, entry);
        return lookedUp.page.then((settled) => {
          entry.settled = settled;
          answer(settled, lookedUp.encoding);
        });
      })
      .catch(next);
  };
}
