// The bench's baseline: a bare node:http server doing the same work as
// POST /api/v1/eligibility (read the JSON body, validate it with the same zod
// schema, assess, explain every reason in the request's language) with no
// framework around it. Run as a child process: listens on PORT, answers
// GET /healthz with "ok" once ready.
import http from "node:http";
import { assessHousehold } from "~/domain/eligibility";
import { eligibilityRequestSchema, eligibilityResponse, todayInShanghai } from "~/domain/validation/eligibility-api";
import { DEFAULT_LANGUAGE, type Language } from "~/i18n";
import { fixedT } from "~/services/i18n.server";
import { zodIssuesToApiErrors } from "~/services/api-errors.server";

const MAX_BODY_BYTES = 256 * 1024;

function language(header: string | undefined): Language {
  return header && /^\s*en\b/i.test(header) ? "en" : DEFAULT_LANGUAGE;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/healthz") {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end("ok");
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
