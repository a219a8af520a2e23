// The bench's baseline: a bare node:http server with no framework around it.
// POST /api/v1/eligibility does the same work as the real route (read the JSON
// body, validate it with the same zod schema, assess, explain every reason in
// the request's language, JSON.stringify) and sends the same headers the app
// sends for it; GET of a captured page (BARE_PAGES, see ssr.ts) sends the
// bytes the real server answered with: the same status, headers and (already
// compressed) body. Run as a child process: listens on PORT, answers
// GET /healthz with "ok" once ready.
import fs from "node:fs";
import http from "node:http";
import { assessHousehold } from "~/domain/eligibility";
import { eligibilityRequestSchema, eligibilityResponse, todayInShanghai } from "~/domain/validation/eligibility-api";
import { DEFAULT_LANGUAGE, type Language } from "~/i18n";
import { fixedT } from "~/services/i18n.server";
import { zodIssuesToApiErrors } from "~/services/api-errors.server";

const MAX_BODY_BYTES = 256 * 1024;

/** A page as the real server answered it: the body exactly as sent (compressed when it was). */
export interface CapturedPage {
  path: string;
  status: number;
  headers: Record<string, string>;
  bodyBase64: string;
}

const pages = new Map<string, { status: number; headers: Record<string, string>; body: Buffer }>();
if (process.env.BARE_PAGES) {
  for (const page of JSON.parse(fs.readFileSync(process.env.BARE_PAGES, "utf8")) as CapturedPage[]) {
    const body = Buffer.from(page.bodyBase64, "base64");
    // One write with its length (the app streams: chunked); the bytes of the body are the same.
    pages.set(page.path, { status: page.status, headers: { ...page.headers, "content-length": String(body.length) }, body });
  }
}

function language(header: string | undefined): Language {
  return header && /^\s*en\b/i.test(header) ? "en" : DEFAULT_LANGUAGE;
}

// What the app adds to every answer (app/server/security-headers.ts, production)
// and to this one (the route): set here too, so both send the same bytes.
const API_HEADERS = {
  "Content-Type": "application/json; charset=utf-8",
  "Cache-Control": "no-store",
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA=='; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "same-origin",
  "Permissions-Policy": "camera=(self), geolocation=(), microphone=()",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
};

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...API_HEADERS, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/healthz") {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end("ok");
    return;
  }
  const page = req.method === "GET" ? pages.get(req.url ?? "") : undefined;
  if (page) {
    res.writeHead(page.status, page.headers);
    res.end(page.body);
    return;
  }
  if (req.method !== "POST" || req.url !== "/api/v1/eligibility") {
    send(res, 404, { errors: [{ path: "", message: "not found" }] });
    return;
  }
  const t = fixedT(language(req.headers["accept-language"]), ["validation", "rules"]);
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on("end", () => {
    if (size > MAX_BODY_BYTES) return send(res, 413, { errors: [{ path: "", message: "too large" }] });
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(res, 400, { errors: [{ path: "", message: "invalid JSON" }] });
    }
    const parsed = eligibilityRequestSchema.safeParse(body);
    if (!parsed.success) return send(res, 400, { errors: zodIssuesToApiErrors(parsed.error.issues, t) });
    const assessment = assessHousehold(parsed.data.household, parsed.data.asOf ?? todayInShanghai(new Date()));
    send(res, 200, eligibilityResponse(assessment, t));
  });
});

server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
