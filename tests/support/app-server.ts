// The real server (the same entry point as `npm start`) as a child process,
// for tests that need the whole thing: the e2e suite's shared server
// (tests/support/e2e-server.ts) and the tests that kill, restart or read the
// logs of a server of their own. buildApp() builds only when the sources are
// newer than the last build; `npm test` builds once before Vitest starts.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Newest modification time under `target` (a file or a directory tree). */
function newestChange(target: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target))
    newest = Math.max(newest, newestChange(path.join(target, entry)));
  return newest;
}

/**
 * `remix build` empties public/build first, which breaks any other e2e run
 * using this tree at that moment; so build only when the sources are newer
 * than the last build (always on a fresh clone). E2E_REBUILD=1 forces it.
 */
export function buildIsCurrent(): boolean {
  if (process.env.E2E_REBUILD) return false;
  const built = newestChange("build/index.js");
  const assets = fs.existsSync("public/build")
    ? fs.readdirSync("public/build")
    : [];
  if (built === 0 || assets.length === 0) return false;
  const sources = [
    "app",
    "remix.config.js",
    "package-lock.json",
    "tsconfig.json",
  ].map(newestChange);
  return Math.max(...sources) < built;
}

export function buildApp(): void {
  if (buildIsCurrent()) return;
  const result = spawnSync("npx", ["remix", "build"], {
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) {
    throw new Error(
      `server: "npx remix build" failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitForHealth(
  url: string,
  server: ChildProcess,
  log: () => string,
  timeoutMs: number = START_TIMEOUT_MS
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(
        `server: the server exited (${
          server.exitCode ?? server.signalCode
        }) before it was ready. Its output:\n${log()}`
      );
    }
    try {
      const response = await fetch(`${url}/healthz`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(
    `server: ${url}/healthz did not answer 200 within ${
      timeoutMs / 1000
    } s. Server output:\n${log()}`
  );
}

export function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null)
    return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => server.kill("SIGKILL"), STOP_GRACE_MS);
    server.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    server.kill("SIGTERM");
  });
}

export interface ServerProcess {
  baseURL: string;
  port: number;
  child: ChildProcess;
  /** everything the server printed on stdout and stderr so far (all of it unless `keepLines` was given) */
  log(): string;
  /** SIGTERM, then SIGKILL after a grace period */
  stop(): Promise<void>;
  /** SIGKILL now; resolves once the process is gone */
  kill(): Promise<void>;
}

export interface StartOptions {
  /** holds app.db and uploads/; created when missing; never removed here */
  dataDir: string;
  /** extra or overriding environment (PORT, DATABASE_URL, UPLOAD_DIR, PUBLIC_URL and DEMO=1 are set from dataDir and the port) */
  env?: Record<string, string | undefined>;
  port?: number;
  /** keep only the last N lines of output (default: all) */
  keepLines?: number;
  /** also echo the server's stderr with this prefix */
  echoStderr?: string;
  /** how long to wait for /healthz (default 60 s; a machine under heavy load needs longer) */
  startTimeoutMs?: number;
}

/** Starts `node --import tsx app/server/main.ts` on its own data directory and waits until /healthz answers 200. */
export async function startServerProcess(
  options: StartOptions
): Promise<ServerProcess> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const baseURL = `http://127.0.0.1:${port}`;
  // Vitest sets NODE_ENV=test; the server should run as `npm start` does.
  const { NODE_ENV: _vitestMode, ...inherited } = process.env;
  const env: Record<string, string | undefined> = {
    ...inherited,
    PORT: String(port),
    DATABASE_URL: `file:${path.join(options.dataDir, "app.db")}`,
    UPLOAD_DIR: path.join(options.dataDir, "uploads"),
    PUBLIC_URL: baseURL,
    DEMO: "1",
    ...options.env,
  };
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (options.keepLines && lines.length > options.keepLines)
      lines.splice(0, lines.length - options.keepLines);
  };
  const log = () => lines.join("\n");
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "app/server/main.ts"],
    {
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    }
  );
  child.stdout?.on("data", keep);
  child.stderr?.on("data", (chunk: Buffer) => {
    keep(chunk);
    if (options.echoStderr)
      process.stderr.write(`${options.echoStderr} ${chunk.toString("utf8")}`);
  });
  // If the test process itself ends first, do not leave the server behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  const kill = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null)
        return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  try {
    await waitForHealth(baseURL, child, log, options.startTimeoutMs);
  } catch (error) {
    await kill();
    throw error;
  }
  return { baseURL, port, child, log, stop: () => stopServer(child), kill };
}
