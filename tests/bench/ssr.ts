// ssr_start_page and ssr_check_start: server-rendered pages under load, the
// real server against a bare node:http server sending the same bytes. The
// pages are first fetched from the real server as a browser asks for them
// (Accept-Language zh-CN, Accept-Encoding "gzip, deflate, br"), kept exactly
// as they came over the wire (status, headers, compressed body), and handed
// to the bare server, which then answers every request with those bytes. The
// real server answers / from its shared page (rendered once per language for
// visitors without a session: app/server/shared-pages.ts) and renders (and
// compresses) /check anew for each request.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { CapturedPage } from "./bare-server";
import { LOAD_NOTE, compareUnderLoad, type LoadRequest } from "./load";
import { startBareServer, type RunningServer } from "./servers";

export const SSR_RATIO_TARGET = 1 / 3;

const BROWSER_HEADERS = { "accept-language": "zh-CN", "accept-encoding": "gzip, deflate, br" };

// Per-connection and per-response headers: the bare server sets its own.
const NOT_COPIED = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length"]);

/** GET path exactly as the server sends it: no decompression (fetch would undo it). */
function capture(server: RunningServer, pagePath: string): Promise<CapturedPage> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${server.url}${pagePath}`, { headers: BROWSER_HEADERS }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value === undefined || NOT_COPIED.has(name)) continue;
          headers[name] = Array.isArray(value) ? value.join(", ") : value;
        }
        resolve({ path: pagePath, status: response.statusCode ?? 0, headers, bodyBase64: Buffer.concat(chunks).toString("base64") });
      });
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

const PAGES: Array<{ name: string; path: string; what: string }> = [
  { name: "ssr_start_page", path: "/", what: "GET / (the start page)" },
  { name: "ssr_check_start", path: "/check", what: "GET /check (the check's first page)" },
];

/** One line per page: the app's throughput under load as a ratio to the bare server's with the same bytes. */
export async function ssrThroughput(app: RunningServer, progress: (text: string) => void): Promise<Array<Record<string, unknown>>> {
  const captured = await Promise.all(PAGES.map((page) => capture(app, page.path)));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lifeline-bench-"));
  const file = path.join(dir, "pages.json");
  fs.writeFileSync(file, JSON.stringify(captured));
  const bare = await startBareServer({ pages: file });
  const lines: Array<Record<string, unknown>> = [];
  try {
    for (const [i, page] of PAGES.entries()) {
      const sample = captured[i];
      // The bare server must send exactly what it was given: checked once before the load.
      const again = await capture(bare, page.path);
      const sameBytes = again.bodyBase64 === sample.bodyBase64 && again.status === sample.status;
      const request: LoadRequest = { path: page.path, headers: BROWSER_HEADERS };
      progress(`${page.name}: ${page.what}, 2 × 10 s`);
      const comparison = await compareUnderLoad(app, bare, request);
      lines.push({
        name: page.name,
        unit: "requests/s",
        value: comparison.app.requestsPerSecond,
        ...comparison,
        target: Number(SSR_RATIO_TARGET.toFixed(3)),
        meetsTarget: comparison.ratio >= SSR_RATIO_TARGET && comparison.clean && sample.status === 200,
        page: page.path,
        status: sample.status,
        contentType: sample.headers["content-type"] ?? null,
        contentEncoding: sample.headers["content-encoding"] ?? "identity",
        bodyBytes: Buffer.from(sample.bodyBase64, "base64").length,
        bareSendsSameBytes: sameBytes,
        requestHeaders: BROWSER_HEADERS,
        note: `like with like: the bare server sends the app's own answer as captured (status, every header but Date/Connection/Keep-Alive/Transfer-Encoding, and the body compressed as the app compressed it, with Content-Length where the app streams it chunked); the app answers / from its shared page (rendered and compressed once per language for visitors with no session: app/server/shared-pages.ts), and renders and compresses /check anew for each request (its HTML differs only by the CSP nonce and the repeat token). ${LOAD_NOTE}`,
      });
    }
  } finally {
    await bare.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
