// A plain HTTP client for the fuzz suite's tests over a real socket.
import http from "node:http";

/**
 * One request on a connection of its own (no keep-alive reuse: on this busy
 * 2-core machine a reused connection can meet the server's idle timeout,
 * which is the client's race, not the server's answer).
 */
export async function send(
  url: string,
  init: RequestInit
): Promise<{ status: number; text: string }> {
  const request = new Request(url, init);
  const body =
    init.body === undefined ? null : Buffer.from(await request.arrayBuffer());
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  if (body) headers["content-length"] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: request.method, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString("utf8"),
          })
        );
        res.on("error", reject);
      }
    );
    req.on("error", reject);
    req.end(body ?? undefined);
  });
}
