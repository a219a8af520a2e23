// Load on one staff list page (issue 5), measured two ways:
//
//   steady      an open loop: a request every 1/STEADY_RATE seconds, on
//               schedule whatever the answers do (a pool of keep-alive
//               connections, more opened when all are busy). Each latency is
//               counted from when the request was due, not from when it went
//               out, so a slow server (or a late load generator) cannot hide
//               the requests it held back. The target (p95 under
//               100 ms) is judged here: it asks how fast a page answers a
//               caseworker with 100,000 cases and 20,000 call-backs in the
//               database, and 40 list views a second (144,000 an hour) is far
//               more than a city's staff make.
//   saturation  a closed loop with autocannon: SATURATION_CONNECTIONS clients
//               each sending the next request the moment the last one is
//               answered. This finds the most the server can serve; latency
//               there is set by the queue (Little's law: p50 ≈ clients ÷
//               throughput), not by the page, so it is reported without a target.
import http from "node:http";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";

export const STEADY_RATE = 40;
export const SATURATION_CONNECTIONS = 8;

const round = (x: number, digits = 2) => Number(x.toFixed(digits));
// As a browser asks: Chinese first, and compressed (the server then spends the CPU a real page view costs).
const BROWSER_HEADERS = (cookie: string) => ({ cookie, "accept-language": "zh-CN", "accept-encoding": "br, gzip" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface PageLoadFigures {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

function figures(times: number[], seconds: number, errors: number, non2xx: number): PageLoadFigures {
  times.sort((a, b) => a - b);
  return {
    requestsPerSecond: round(times.length / seconds, 1),
    requests: times.length,
    p50Ms: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    p99Ms: round(percentile(times, 99)),
    errors,
    non2xx,
  };
}

/** GETs `url` with the cookie as fast as SATURATION_CONNECTIONS clients can, for `seconds`. */
export async function saturationLoad(url: string, cookie: string, seconds: number): Promise<PageLoadFigures> {
  const times: number[] = [];
  const instance = autocannon({ url, connections: SATURATION_CONNECTIONS, duration: seconds, headers: BROWSER_HEADERS(cookie) });
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  const result = await instance;
  return figures(times, result.duration || seconds, result.errors, result.non2xx);
}

/** GETs `url` with the cookie at `rate` requests a second, on schedule, for `seconds`. */
export async function steadyLoad(url: string, cookie: string, seconds: number, rate: number = STEADY_RATE): Promise<PageLoadFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const headers = BROWSER_HEADERS(cookie);
  const times: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const one = (due: number) =>
    new Promise<void>((resolve) => {
      const request = http.get(url, { agent, headers }, (response) => {
        response.resume();
        response.on("end", () => {
          times.push(performance.now() - due);
          if (response.statusCode === undefined || response.statusCode >= 300) non2xx++;
          resolve();
        });
      });
      request.setTimeout(10_000, () => request.destroy(new Error("timed out")));
      request.on("error", () => {
        errors++;
        resolve();
      });
    });
  const count = Math.round(seconds * rate);
  const started = performance.now();
  const pending: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(one(due));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return figures(times, elapsed, errors, non2xx);
}

export interface PagesMeasured {
  figures: Record<string, { steady: PageLoadFigures; saturation: PageLoadFigures }>;
  /** the worst p95 under steady load: the figure the target is judged on */
  worstSteadyP95Ms: number;
  worstSaturationP95Ms: number;
  /** no errors and no non-2xx answer in any load */
  clean: boolean;
}

/** Each page in turn: a short warm-up, the steady load, then saturation. */
export async function measurePages(
  pages: Record<string, string>,
  cookie: string,
  seconds: number,
  warmUpSeconds: number,
  progress: (name: string) => void,
): Promise<PagesMeasured> {
  const figures: PagesMeasured["figures"] = {};
  for (const [name, url] of Object.entries(pages)) {
    progress(name);
    await saturationLoad(url, cookie, warmUpSeconds);
    const steady = await steadyLoad(url, cookie, seconds);
    figures[name] = { steady, saturation: await saturationLoad(url, cookie, seconds) };
  }
  const runs = Object.values(figures);
  return {
    figures,
    worstSteadyP95Ms: Math.max(...runs.map((f) => f.steady.p95Ms)),
    worstSaturationP95Ms: Math.max(...runs.map((f) => f.saturation.p95Ms)),
    clean: runs.every((f) => [f.steady, f.saturation].every((r) => r.errors === 0 && r.non2xx === 0)),
  };
}
