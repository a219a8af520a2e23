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
    // Vitest's default is one worker fewer than the cores: on a 2-core machine
    // that ran every file one after another. The browser files mostly wait on
    // Chromium and the server, so the e2e fork and one other worker share the
    // two cores; more would slow the browser timings the budgets test checks.
    maxWorkers: 2,
    minWorkers: 1,
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
