// End-to-end suite, once per run: build the app, start the real server (the
// same entry point as `npm start`) on a free port with its own throwaway data
// directory, and hand its address to the tests as inject("baseURL").
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
  }
}

/** Token the server accepts for the staff API during the e2e run. */
export const E2E_STAFF_TOKEN = "e2e-staff-token-0123456789";

const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
const LOG_LINES_KEPT = 200;

function freePort(): Promise<number> {
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
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestChange(path.join(target, entry)));
  return newest;
}

/**
 * `remix build` empties public/build first, which breaks any other e2e run
 * using this tree at that moment; so build only when the sources are newer
 * than the last build (always on a fresh clone). E2E_REBUILD=1 forces it.
 */
function buildIsCurrent(): boolean {
  if (process.env.E2E_REBUILD) return false;
  const built = newestChange("build/index.js");
  const assets = fs.existsSync("public/build") ? fs.readdirSync("public/build") : [];
  if (built === 0 || assets.length === 0) return false;
  const sources = ["app", "remix.config.js", "package-lock.json", "tsconfig.json"].map(newestChange);
  return Math.max(...sources) < built;
}

function buildApp(): void {
  if (buildIsCurrent()) return;
  const result = spawnSync("npx", ["remix", "build"], { encoding: "utf8", env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) {
    throw new Error(`e2e: "npx remix build" failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitForHealth(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`e2e: the server exited (${server.exitCode ?? server.signalCode}) before it was ready. Its output:\n${log()}`);
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`e2e: ${url}/healthz did not answer 200 within ${START_TIMEOUT_MS / 1000} s. Server output:\n${log()}`);
}

function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => server.kill("SIGKILL"), STOP_GRACE_MS);
    server.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    server.kill("SIGTERM");
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  buildApp();

  const dataDir = path.resolve("data", `e2e-${crypto.randomBytes(6).toString("hex")}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;

  // Vitest sets NODE_ENV=test; the server should run as `npm start` does.
  const { NODE_ENV: _vitestMode, ...inherited } = process.env;
  const env: Record<string, string | undefined> = {
    ...inherited,
    PORT: String(port),
    DATABASE_URL: `file:${path.join(dataDir, "app.db")}`,
    UPLOAD_DIR: path.join(dataDir, "uploads"),
    PUBLIC_URL: baseURL,
    DEMO: "1",
    STAFF_API_TOKEN: E2E_STAFF_TOKEN,
  };

  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > LOG_LINES_KEPT) lines.splice(0, lines.length - LOG_LINES_KEPT);
  };
  const log = () => lines.join("\n");

  const server = spawn(process.execPath, ["--import", "tsx", "app/server/main.ts"], {
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", keep);
  server.stderr?.on("data", (chunk: Buffer) => {
    keep(chunk);
    if (process.env.E2E_SERVER_LOG) process.stderr.write(`[e2e server] ${chunk.toString("utf8")}`);
  });
  // If Vitest itself is stopped before teardown, do not leave the server behind.
  const killOnExit = () => server.kill("SIGKILL");
  process.once("exit", killOnExit);
  let stopping = false;
  server.on("exit", (code, signal) => {
    if (!stopping) console.error(`e2e: the server stopped unexpectedly (${code ?? signal}). Its last output:\n${log()}`);
  });

  try {
    await waitForHealth(baseURL, server, log);
  } catch (error) {
    stopping = true;
    await stopServer(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  project.provide("baseURL", baseURL);

  return async () => {
    stopping = true;
    process.off("exit", killOnExit);
    await stopServer(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
