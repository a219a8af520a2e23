// Renders a route component to HTML the way the server would for a document
// request, with the loader (and action) data given, in one language.
import { createRemixStub } from "@remix-run/testing";
import type { ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import type { Language } from "~/i18n";
import { instanceFor } from "~/services/i18n.server";

export function renderRoute(
  Component: ComponentType,
  { path, url, lng, loaderData, actionData }: { path: string; url: string; lng: Language; loaderData: unknown; actionData?: unknown },
): string {
  const id = "route";
  const Stub = createRemixStub([{ id, path, Component }]);
  // The stub's in-memory router uses useLayoutEffect, which React warns about on
  // the server; the real server renders with Remix's own server router instead.
  const consoleError = console.error;
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].includes("useLayoutEffect does nothing on the server")) return;
    consoleError(...args);
  };
  try {
    return renderToString(
      <I18nextProvider i18n={instanceFor(lng)}>
        <Stub
          initialEntries={[url]}
          hydrationData={{ loaderData: { [id]: loaderData }, actionData: actionData === undefined ? undefined : { [id]: actionData } }}
        />
      </I18nextProvider>,
    );
  } finally {
    console.error = consoleError;
  }
}
