// Start page: what Lifeline does and the three ways in (check, call back, chat later).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { translatorFor } from "~/services/i18n.server";

export const handle = { i18n: ["common", "home"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await translatorFor(request, ["home", "common"]);
  return json({ title: `${t("home:title")} – ${t("common:serviceName")}` });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lifeline" }];

export default function Index() {
  const { t } = useTranslation("home");
  useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lead">{t("lead")}</p>
      <p>{t("whatYouNeed")}</p>
      <a className="button" href="/check">
        {t("startCheck")}
      </a>
      <h2>{t("other.title")}</h2>
      <ul>
        <li>
          <a href="/callback">{t("other.callback")}</a>
        </li>
      </ul>
      <h2>{t("privacy.title")}</h2>
      <p>{t("privacy.body")}</p>
    </>
  );
}
