// Document shell: language, skip link, header with the language switcher,
// and localized error pages that never show a stack trace.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
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

export async function loader({ request }: LoaderFunctionArgs) {
  const lng = await getLanguage(request);
  const asked = new URL(request.url).searchParams.get("lng");
  // A choice made with ?lng= is remembered, so the next page keeps it.
  const headers = isLanguage(asked) ? { "Set-Cookie": await serializeLocaleCookie(request, lng) } : undefined;
  // `once`: this page load's repeat token for its forms (app/components/form/repeat-guard.tsx).
  return json({ lng, once: newOnceToken() }, { headers });
}

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
  const { lng } = useRouteLoaderData<typeof loader>("root") ?? { lng: DEFAULT_LANGUAGE };
  useChangeLanguage(lng);
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
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const title = notFound ? t("errors.notFoundTitle") : t("errors.genericTitle");
  return (
    <Document lng={lng}>
      <title>{`${title} – ${t("serviceName")}`}</title>
      <SiteLayout lng={lng}>
        <h1>{title}</h1>
        <p>{notFound ? t("errors.notFoundBody") : t("errors.genericBody")}</p>
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
