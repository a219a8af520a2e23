// Shown with a 429 when too many codes were asked for: what happened, how long
// to wait, and a person to talk to instead.
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export function RateLimited() {
  const { t } = useTranslation("track");
  return (
    <div className="error-summary" role="alert" aria-labelledby="rate-limited-title" tabIndex={-1}>
      <h2 id="rate-limited-title">{t("rateLimited.title")}</h2>
      <p>{t("rateLimited.body")}</p>
      <p>
        <Link to="/callback" className="track-link">
          {t("start.noReference")}
        </Link>
      </p>
    </div>
  );
}
