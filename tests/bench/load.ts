// Load comparisons for the bench: the real server against a bare node:http
// server under the same requests, 32 connections, in short rounds taking turns
// so that a change in the machine's load weighs on both alike. Besides
// throughput and latency it counts each server's CPU time per request (from
// /proc): on a busy shared machine that is the steadier figure, since waiting
// for a core does not count.
import autocannon from "autocannon";
import { cpuMs, type RunningServer } from "./servers";

export const CONNECTIONS = 32;

export interface LoadRequest {
  path: string;
  method?: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
}

export interface LoadFigures {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** the server process's CPU time (all threads) per request sent, once it has answered them all */
  cpuUsPerRequest: number | null;
  errors: number;
  timeouts: number;
  non2xx: number;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Every response of a server's load rounds, added up. */
class LoadTally {
  private latencies = new Float64Array(1 << 16);
  private count = 0;
  requests = 0;
  seconds = 0;
  cpuMs = 0;
  sent = 0;
  errors = 0;
  timeouts = 0;
  non2xx = 0;

  record(ms: number) {
    if (this.count === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.count++] = ms;
  }

  figures(): LoadFigures {
    const sorted = this.latencies.slice(0, this.count).sort();
    return {
      requestsPerSecond: round(this.requests / this.seconds, 1),
      requests: this.requests,
      p50Ms: round(percentile(sorted, 50)),
      p95Ms: round(percentile(sorted, 95)),
      p99Ms: round(percentile(sorted, 99)),
      cpuUsPerRequest: Number.isFinite(this.cpuMs) && this.sent > 0 ? Math.round((this.cpuMs * 1000) / this.sent) : null,
      errors: this.errors,
      timeouts: this.timeouts,
      non2xx: this.non2xx,
    };
  }
}

function options(server: RunningServer, request: LoadRequest, seconds: number) {
  return {
    url: `${server.url}${request.path}`,
    method: request.method ?? "GET",
    headers: request.headers,
    body: request.body,
    connections: CONNECTIONS,
    duration: seconds,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the server has finished what it was given: when a round stops,
 * up to one request per connection is still being worked on, and its CPU time
 * belongs to the round (it is counted among the requests sent).
 */
async function quiet(server: RunningServer): Promise<void> {
  let last = cpuMs(server.pid);
  for (let i = 0; i < 40; i++) {
    await sleep(50);
    const now = cpuMs(server.pid);
    if (now === last) return;
    last = now;
  }
}

/** One round of load; latency from every response autocannon reports (its own histogram has no p95). */
async function loadRound(server: RunningServer, request: LoadRequest, seconds: number, tally: LoadTally): Promise<void> {
  await quiet(server);
  const before = cpuMs(server.pid);
  const instance = autocannon(options(server, request, seconds));
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => tally.record(responseTime));
  const result = await instance;
  await quiet(server);
  tally.cpuMs += cpuMs(server.pid) - before;
  tally.sent += result.requests.sent;
  tally.requests += result.requests.total;
  tally.seconds += result.duration || seconds;
  tally.errors += result.errors;
  tally.timeouts += result.timeouts;
  tally.non2xx += result.non2xx;
}

export interface Comparison {
  app: LoadFigures;
  bare: LoadFigures;
  /** app requests/s ÷ bare requests/s, the figure */
  ratio: number;
  /** bare CPU per request ÷ app CPU per request: the same comparison, less disturbed by other work */
  cpuRatio: number | null;
  connections: number;
  durationSeconds: number;
  /** true when neither server had an error, a timeout or an answer other than 2xx */
  clean: boolean;
}

export const LOAD_NOTE =
  "each server 10 s in 2 s rounds taking turns (app, bare, bare, app, app, bare, bare, app, app, bare) after a 2 s warm-up each; p50/p95/p99 from every response time autocannon reported; cpuUsPerRequest = the server process's user+system CPU time (/proc, 10 ms ticks) over the requests sent, counted until the server is idle again after each round; both servers in child processes, autocannon in the bench process";

/** 10 s of load on each server, in 2 s rounds taking turns, after a 2 s warm-up each. */
export async function compareUnderLoad(
  app: RunningServer,
  bare: RunningServer,
  request: LoadRequest,
  durationSeconds = 10
): Promise<Comparison> {
  for (const server of [app, bare]) await autocannon(options(server, request, 2));
  // Whole seconds, because autocannon stops on its one-second tick.
  const tallies = new Map([
    [app, new LoadTally()],
    [bare, new LoadTally()],
  ]);
  const order = [app, bare, bare, app, app, bare, bare, app, app, bare];
  const roundSeconds = (durationSeconds * 2) / order.length;
  for (const server of order) await loadRound(server, request, roundSeconds, tallies.get(server)!);
  const appFigures = tallies.get(app)!.figures();
  const bareFigures = tallies.get(bare)!.figures();
  const clean = [appFigures, bareFigures].every((f) => f.errors === 0 && f.timeouts === 0 && f.non2xx === 0);
  return {
    app: appFigures,
    bare: bareFigures,
    ratio: round(appFigures.requestsPerSecond / bareFigures.requestsPerSecond, 3),
    cpuRatio:
      appFigures.cpuUsPerRequest && bareFigures.cpuUsPerRequest ? round(bareFigures.cpuUsPerRequest / appFigures.cpuUsPerRequest, 3) : null,
    connections: CONNECTIONS,
    durationSeconds,
    clean,
  };
}
