// The one HTTP server: static assets, then every page and API through Remix.
// The chat bot and SMS webhook mount here too (issue 4), so one port serves all.
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { fixedT } from "../services/i18n.server";
import { securityHeaders } from "./security-headers";

// Last resort for what fails before Remix (e.g. an undecodable address such as
// "/%"): a short message in the person's language, never Express's stack trace.
const lastResort: ErrorRequestHandler = (error: { status?: number; statusCode?: number }, req, res, _next) => {
  const status = error.status ?? error.statusCode ?? 500;
  const lng = req.acceptsLanguages("zh-CN", "zh", "en") === "en" ? "en" : "zh-CN";
  const t = fixedT(lng, "common");
  if (res.headersSent) return res.end();
  res
    .status(status >= 400 && status < 600 ? status : 500)
    .type("text/plain; charset=utf-8")
    .send(status >= 400 && status < 500 ? t("errors.badAddress") : `${t("errors.genericTitle")}. ${t("errors.genericBody")}`);
};

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

// Pages take posts from their own forms only. Any other body (JSON, plain
// text) would make a route's request.formData() throw, which would surface as
// a 500: it is refused here with 415 and a plain message instead. The JSON API
// (/api/) and the bot's routes (mounted before this) read their own bodies.
const formPostsOnly: RequestHandler = (req, res, next) => {
  if (req.method !== "POST" || req.path.startsWith("/api/")) return next();
  const type = (req.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
  if (FORM_TYPES.has(type)) return next();
  const lng = req.acceptsLanguages("zh-CN", "zh", "en") === "en" ? "en" : "zh-CN";
  res.status(415).type("text/plain; charset=utf-8").send(fixedT(lng, "common")("errors.formType"));
};

export interface AppOptions {
  build: ServerBuild;
  production: boolean;
  /** The bot's routes (POST /chat/messages, POST /sms/twilio) from the server bundle; mounted before Remix. */
  bot?: express.RequestHandler;
}

export function createApp({ build, production, bot }: AppOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(securityHeaders({ production }));
  app.use(compression());

  const publicDir = path.resolve("public");
  // Fingerprinted bundles can be cached for ever; everything else briefly.
  app.use("/build", express.static(path.join(publicDir, "build"), { immutable: true, maxAge: "1y", index: false }));
  app.use(express.static(publicDir, { maxAge: "1h", index: false, dotfiles: "ignore" }));

  if (bot) app.use(bot);
  app.use(formPostsOnly);

  app.all(
    "*",
    createRequestHandler({
      build,
      // Always production: the build is a production build, and development
      // mode would put stack traces into data responses.
      mode: "production",
      // clientIp: per-IP limits (trust proxy is loopback only, so it is the real client).
      getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce as string, clientIp: req.ip }),
    }),
  );
  app.use(lastResort);
  return app;
}
