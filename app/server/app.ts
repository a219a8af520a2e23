// The one HTTP server: static assets, then every page and API through Remix.
// The chat bot and SMS webhook mount here too (issue 4), so one port serves all.
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { securityHeaders } from "./security-headers";

export interface AppOptions {
  build: ServerBuild;
  production: boolean;
}

export function createApp({ build, production }: AppOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(securityHeaders({ production }));
  app.use(compression());

  const publicDir = path.resolve("public");
  // Fingerprinted bundles can be cached for ever; everything else briefly.
  app.use("/build", express.static(path.join(publicDir, "build"), { immutable: true, maxAge: "1y", index: false }));
  app.use(express.static(publicDir, { maxAge: "1h", index: false, dotfiles: "ignore" }));

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: production ? "production" : "development",
      getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }),
    }),
  );
  return app;
}
