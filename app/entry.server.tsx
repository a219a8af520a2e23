// Server rendering: every page is complete HTML before any script runs. Bots
// and browsers alike get the whole document (onAllReady), so nothing depends on
// streaming or JavaScript.
import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import type { i18n as I18n } from "i18next";
import type { Language } from "~/i18n";
import { getLanguage, instanceFor } from "~/services/i18n.server";
import { NonceProvider } from "~/utils/nonce";

const ABORT_DELAY = 5_000;

// One i18next instance per language, made on first use: cloning one per request
// cost about a twentieth of a page's render. Sharing is safe because rendering
// only reads it: all namespaces are loaded at start, and the only language
// change (remix-i18next's useChangeLanguage) is an effect, which never runs on
// the server.
const instances = new Map<Language, I18n>();
function i18nFor(lng: Language): I18n {
  let instance = instances.get(lng);
  if (!instance) instances.set(lng, (instance = instanceFor(lng)));
  return instance;
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const lng = await getLanguage(request);
  const i18n = i18nFor(lng);
  const nonce = typeof loadContext.cspNonce === "string" ? loadContext.cspNonce : "";

  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <I18nextProvider i18n={i18n}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </I18nextProvider>
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          shellRendered = true;
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Log the failure without request data: it may hold personal details.
          if (shellRendered) console.error("render error:", error instanceof Error ? error.message : "unknown");
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  // An address nobody serves (404) or a method a route does not take (405) is not a failure.
  if (isRouteErrorResponse(error) && error.status < 500) return;
  const url = new URL(request.url);
  console.error(`error on ${request.method} ${url.pathname}:`, error instanceof Error ? (error.stack ?? error.message) : "unknown");
}

// Started by app/server/main.ts from this bundle, so routes and workers share modules.
export { startBackground } from "~/server/background.server";
// The chat and SMS bot's routes and websocket (issue 4), from this bundle for the same reason.
export { botServer } from "../bot/server";
