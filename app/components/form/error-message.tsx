import { useTranslation } from "react-i18next";

/** The red message above a field; "Error:" is spoken but not shown. */
export function ErrorMessage({ id, message }: { id: string; message: string }) {
  const { t } = useTranslation("common");
  return (
    <p id={id} className="error-message">
      <span className="visually-hidden">{t("errorPrefix")}</span>
      {message}
    </p>
  );
}
