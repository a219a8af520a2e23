// Child processes for the bench: the real server (app/server/main.ts, the
// `npm start` entry: migrate, seed, load build/index.js, createApp) on a
// throwaway SQLite database under data/bench, and the bare node:http baseline.
// Each runs in its own process so the load generator's CPU does not count.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

// Generous: with other work on a busy 2-core machine, migrating and loading the build has taken minutes.
const START_TIMEOUT_MS = 300_000;

export interface RunningServer {
  url: string;
  /** The server's own process (node runs main.ts directly), for reading its memory in /proc. */
  pid: number;
  stop(): Promise<void>;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * CPU time (user + system, all threads) a process has used so far, in ms, from
 * /proc; NaN where there is no /proc. Per request, it is the figure a busy
 * machine disturbs least: waiting for a core does not count.
 */
export function cpuMs(pid: number): number {
  try {
    // fields after the command name: utime and stime are the 12th and 13th
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function start(name: string, script: string, env: NodeJS.ProcessEnv, cleanup: () => void): Promise<RunningServer> {
  const port = await freePort();
  // BENCH_PROFILE_DIR=/tmp/x writes a CPU profile of each server there (open it in Chrome DevTools)
  const profile = process.env.BENCH_PROFILE_DIR
    ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE_DIR, name.replace(/\W+/g, "-"))}`]
    : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, "--import", "tsx", script], {
    env: { ...process.env, ...env, PORT: String(port) },
    // stdout of the bench carries only result lines: the servers' logs are kept for errors
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killer);
    }
    cleanup();
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      cleanup();
      throw new Error(`${name} exited before it was ready:\n${log}`);
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return { url, pid: child.pid ?? 0, stop };
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await stop();
  throw new Error(`${name} did not answer /healthz within ${START_TIMEOUT_MS / 1000} s:\n${log}`);
}

/**
 * The real server, as `npm start` runs it, on its own database: in production
 * mode, or with `demo` in demo mode (the seeded demo partner token works).
 * main.ts refuses DEMO with NODE_ENV=production, so the demo server runs with
 * NODE_ENV=development; the build and Remix's request handler are the same
 * production ones either way (app/server/app.ts).
 */
export function startAppServer({ demo = false }: { demo?: boolean } = {}): Promise<RunningServer> {
  const dir = path.resolve("data", "bench", `run-${crypto.randomBytes(4).toString("hex")}`);
  fs.mkdirSync(dir, { recursive: true });
  return start(
    demo ? "the demo app server" : "the app server",
    "app/server/main.ts",
    {
      NODE_ENV: demo ? "development" : "production",
      DEMO: demo ? "1" : "0",
      DATABASE_URL: `file:${path.join(dir, "app.db")}`,
      UPLOAD_DIR: path.join(dir, "uploads"),
      SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
      STAFF_API_TOKEN: "",
    },
    () => fs.rmSync(dir, { recursive: true, force: true }),
  );
}

/** The bare node:http server; `pages`: a JSON file of pages it sends as captured (bare-server.ts). */
export function startBareServer({ pages }: { pages?: string } = {}): Promise<RunningServer> {
  return start("the bare server", "tests/bench/bare-server.ts", { NODE_ENV: "production", BARE_PAGES: pages ?? "" }, () => undefined);
}
