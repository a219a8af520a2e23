// Hydration is an enhancement: every page already works as server-rendered
// HTML. Translations for the page's namespaces are fetched before hydrating so
// the first client render matches the server's.
import { RemixBrowser } from "@remix-run/react";
import i18next, { type BackendModule } from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { getInitialNamespaces } from "remix-i18next/client";
import i18nConfig from "~/i18n";

// Reads /locales/<lng>/<ns>.json with the browser's fetch. This is all
// i18next-http-backend did here, and it cost 6.5 KB gzipped on every page
// (it bundles a fetch/XHR fallback); the page budget is 150 KB of script.
// Network and 5xx failures may be retried by i18next, 4xx not (as that backend did).
const localeFiles: BackendModule = {
  type: "backend",
  init() {},
  read(language, namespace, callback) {
    const url = `/locales/${language}/${namespace}.json`;
    fetch(url)
      .then((response) => {
        if (response.ok) return response.json();
        throw Object.assign(new Error(String(response.status)), { retry: response.status >= 500 });
      })
      .then(
        (data) => callback(null, data),
        (error: Error & { retry?: boolean }) => callback(`failed loading ${url}: ${error.message}`, error.retry ?? true),
      );
  },
};

async function hydrate() {
  await i18next
    .use(initReactI18next)
    .use(localeFiles)
    .init({
      ...i18nConfig,
      ns: getInitialNamespaces(),
      lng: document.documentElement.lang,
    });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

void hydrate();
