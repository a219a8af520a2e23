// Page frame shared by every public page: skip link, service name, language
// switcher and a short footer. Plain links only, so it works without script.
import { useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Language } from "~/i18n";

const OTHER: Record<Language, Language> = { "zh-CN": "en", en: "zh-CN" };

function languageHref(pathname: string, search: string, lng: Language): string {
  const params = new URLSearchParams(search);
  params.set("lng", lng);
  return `${pathname}?${params.toString()}`;
}

export function SiteLayout({ lng, children }: { lng: Language; children: React.ReactNode }) {
  const { t } = useTranslation("common");
  const location = useLocation();
  const other = OTHER[lng];
  return (
    <>
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <header className="site-header">
        <div className="container header-row">
          <a className="service-name" href="/">
            {t("serviceName")}
          </a>
          <a className="language-link" href={languageHref(location.pathname, location.search, other)} hrefLang={other} lang={other}>
            {t(`language.switchTo.${other}`)}
          </a>
        </div>
        <nav className="container site-nav" aria-label={t("nav.label")}>
          <ul>
            <li>
              <a href="/check">{t("nav.check")}</a>
            </li>
            <li>
              <a href="/callback">{t("nav.callback")}</a>
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" className="container" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <div className="container">
          <p>{t("footer.help")}</p>
        </div>
      </footer>
    </>
  );
}
