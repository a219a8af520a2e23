// A stand-in for Twilio's Messages API on 127.0.0.1 (random port): records
// each request and answers from a script of statuses, so tests see exactly
// what the sender posts and how the outbox takes each answer.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  form: URLSearchParams;
}

export interface FakeTwilio {
  url: string;
  requests: FakeRequest[];
  /** Statuses for the next answers, in order; when empty, 201 with a new sid. */
  script: number[];
  /** Milliseconds to wait before answering (for timeouts and overlaps). */
  delayMs: number;
  close(): Promise<void>;
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
  let sid = 0;
  const fake: Omit<FakeTwilio, "url" | "close"> = { requests: [], script: [], delayMs: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      fake.requests.push({
        method: req.method ?? "",
        path: req.url ?? "",
        authorization: req.headers.authorization,
        contentType: req.headers["content-type"],
        form: new URLSearchParams(Buffer.concat(chunks).toString("utf8")),
      });
      const status = fake.script.shift() ?? 201;
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(status, { "Content-Type": "application/json" });
        if (status < 300) res.end(JSON.stringify({ sid: `SM${String(++sid).padStart(32, "0")}`, status: "queued" }));
        // Twilio's error shape; its message quotes the number, which must not reach our logs or rows.
        else res.end(JSON.stringify({ code: status === 400 ? 21211 : 20500, message: "The 'To' number +8613812345678 is not a valid phone number.", status }));
      };
      if (fake.delayMs > 0) setTimeout(answer, fake.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
