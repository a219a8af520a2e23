// Document shell: language, skip link, header with the language switcher,
// and localized error pages that never show a stack trace.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { json } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import { SiteLayout } from "~/components/layout/site-layout";
import { DEFAULT_LANGUAGE, isLanguage, type Language } from "~/i18n";
import { getLanguage, serializeLocaleCookie } from "~/services/i18n.server";
import { newOnceToken } from "~/services/idempotency.server";
import stylesheet from "~/styles/app.css";
import { useNonce } from "~/utils/nonce";

export const handle = { i18n: ["common"] };

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ name: "viewport", content: "width=device-width, initial-scale=1" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const lng = await getLanguage(request);
  const asked = new URL(request.url).searchParams.get("lng");
  // A choice made with ?lng= is remembered, so the next page keeps it.
  const headers = isLanguage(asked) ? { "Set-Cookie": await serializeLocaleCookie(request, lng) } : undefined;
  // `once`: this page load's repeat token for its forms (app/components/form/repeat-guard.tsx).
  // A page rendered once for every visitor (app/server/shared-pages.ts) has none:
  // a token shared by strangers would make one person's form answer another's.
  return json({ lng, once: context.sharedPage === true ? "" : newOnceToken() }, { headers });
}

// Set in the browser when this page load has no repeat token of its own (a
// shared page): the first navigation then asks the root loader for one, so
// the forms of the next page carry a token made for this visitor.
let needsOwnToken = false;

export const shouldRevalidate: ShouldRevalidateFunction = ({ defaultShouldRevalidate }) => {
  if (!needsOwnToken) return defaultShouldRevalidate;
  needsOwnToken = false;
  return true;
};

function Document({ lng, children }: { lng: Language; children: React.ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang={lng} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { lng, once } = useRouteLoaderData<typeof loader>("root") ?? { lng: DEFAULT_LANGUAGE, once: "x" };
  useChangeLanguage(lng);
  useEffect(() => {
    needsOwnToken = once === "";
  }, [once]);
  return (
    <Document lng={lng}>
      <SiteLayout lng={lng}>
        <Outlet />
      </SiteLayout>
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("root");
  // No loader runs for an unmatched URL (404), so fall back to the language
  // entry.server.tsx detected for this request (?lng=, cookie, Accept-Language).
  const { i18n } = useTranslation("common");
  const lng = data?.lng ?? (isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE);
  const { t } = useTranslation("common", { lng });
  const status = isRouteErrorResponse(error) ? error.status : 500;
  // 403: a form whose CSRF token no longer matches (an old page, signed out meanwhile) or a page not for this account.
  const kind = status === 404 ? "notFound" : status === 403 ? "forbidden" : "generic";
  const title = t(`errors.${kind}Title`);
  return (
    <Document lng={lng}>
      <title>{`${title} – ${t("serviceName")}`}</title>
      <SiteLayout lng={lng}>
        <h1>{title}</h1>
        <p>{t(`errors.${kind}Body`)}</p>
        <p>
          <a href="/">{t("errors.goHome")}</a>
        </p>
        <p>
          <a href="/callback">{t("errors.askCallback")}</a>
        </p>
      </SiteLayout>
    </Document>
  );
}
