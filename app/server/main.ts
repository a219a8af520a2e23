// `npm start`: migrate the database, seed it, then serve on PORT.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { seedDatabase } from "../../prisma/seed";
import { config } from "../services/config.server";
import { db, prepareDatabase } from "../services/db.server";
import { migrateDatabase } from "../services/migrate.server";
import { startOutboxWorker } from "../services/outbox.server";
import { createApp } from "./app";

async function main() {
  const cfg = config();
  if (cfg.production && cfg.demo) {
    console.error("Refusing to start: DEMO mode (demo accounts and the phone simulator) is not allowed with NODE_ENV=production. Unset DEMO.");
    process.exit(1);
  }
  migrateDatabase(cfg.databaseUrl);
  await prepareDatabase();
  await seedDatabase(db, { demo: cfg.demo });
  const outbox = startOutboxWorker(db, { intervalMs: 2000 });

  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const app = createApp({ build, production: cfg.production });
  const server = app.listen(cfg.port, () => {
    console.log(`Lifeline is serving on http://localhost:${cfg.port}${cfg.demo ? " (demo mode)" : ""}`);
  });

  const stop = () => {
    server.close(() => {
      void outbox.stop().then(() => db.$disconnect()).finally(() => process.exit(0));
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
