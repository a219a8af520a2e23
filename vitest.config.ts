// Three suites in one run: unit (pure code), integration (routes, API and
// models on a real SQLite file per worker) and e2e (the built server in Chromium).
import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "~": path.resolve("app") };

export default defineConfig({
  resolve: { alias },
  test: {
    globals: true,
    reporters: ["default", "./tests/support/summary-reporter.ts"],
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["tests/unit/**/*.test.{ts,tsx}"], environment: "node", globals: true },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.{ts,tsx}"],
          environment: "node",
          globals: true,
          globalSetup: ["tests/support/template-db.ts"],
          setupFiles: ["tests/support/integration-setup.ts"],
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          globals: true,
          globalSetup: ["tests/support/e2e-server.ts"],
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
