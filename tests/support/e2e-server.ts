// End-to-end suite, once per run: build the app, start the real server (the
// same entry point as `npm start`) on a free port with its own throwaway data
// directory, and hand its address to the tests as inject("baseURL").
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { buildApp, startServerProcess } from "./app-server";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
  }
}

/** Token the server accepts for the staff API during the e2e run. */
export const E2E_STAFF_TOKEN = "e2e-staff-token-0123456789";

const LOG_LINES_KEPT = 200;

export default async function setup(
  project: TestProject
): Promise<() => Promise<void>> {
  buildApp();

  const dataDir = path.resolve(
    "data",
    `e2e-${crypto.randomBytes(6).toString("hex")}`
  );
  let server;
  try {
    server = await startServerProcess({
      dataDir,
      env: { STAFF_API_TOKEN: E2E_STAFF_TOKEN },
      keepLines: LOG_LINES_KEPT,
      echoStderr: process.env.E2E_SERVER_LOG ? "[e2e server]" : undefined,
    });
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  let stopping = false;
  const { child, log } = server;
  child.on("exit", (code, signal) => {
    if (!stopping)
      console.error(
        `e2e: the server stopped unexpectedly (${
          code ?? signal
        }). Its last output:\n${log()}`
      );
  });

  project.provide("baseURL", server.baseURL);

  return async () => {
    stopping = true;
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
