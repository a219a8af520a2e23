import type { TFunction } from "i18next";

/** "<Error: >Question – Service": the title says when the page shows errors (GOV.UK). */
export function pageTitle(t: TFunction, title: string, hasErrors = false): string {
  return `${hasErrors ? t("common:errorPrefix") : ""}${title} – ${t("common:serviceName")}`;
}
