// `npm start`: migrate the database, load the server build, start its
// background work (seed, outbox), then serve on PORT.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { config } from "../services/config.server";
import { installLogRedaction } from "../services/log-redaction.server";
import { migrateDatabase } from "../services/migrate.server";
import { createApp } from "./app";
import type { startBackground } from "./background.server";
import type { botServer } from "../../bot/server";

// Before anything can print: no phone, ID number or code reaches the log.
installLogRedaction();

async function main() {
  const cfg = config();
  if (cfg.production && cfg.demo) {
    console.error("Refusing to start: DEMO mode (demo accounts and the phone simulator) is not allowed with NODE_ENV=production. Unset DEMO.");
    process.exit(1);
  }
  await migrateDatabase(cfg.databaseUrl);

  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  // The bundle's own modules (one Prisma client for routes and workers).
  const entry = build.entry.module as unknown as { startBackground: typeof startBackground; botServer: typeof botServer };
  const background = await entry.startBackground({ demo: cfg.demo });
  // The chat and SMS bot (issue 4): its routes before Remix, its websocket on the same server.
  const bot = entry.botServer();

  const app = createApp({ build, production: cfg.production, bot: bot.router });
  const server = app.listen(cfg.port, () => {
    console.log(`Lifeline is serving on http://localhost:${cfg.port}${cfg.demo ? " (demo mode)" : ""}`);
  });
  bot.attach(server);

  const stop = () => {
    server.close(() => {
      void background.stop().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error("Lifeline could not start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
