// /notice/objection-sent: the confirmation after an objection was sent. It
// names nobody (neither the case nor the sender).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { useLoaderData } from "@remix-run/react";
import { translatorFor } from "~/services/i18n.server";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "notice"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await translatorFor(request, ["notice", "common"]);
  return json({ title: pageTitle(t, t("notice:sent.title")) });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export default function ObjectionSent() {
  const { t } = useTranslation("notice");
  useLoaderData<typeof loader>();
  return (
    <>
      <div className="panel">
        <h1>{t("sent.title")}</h1>
        <p>{t("sent.body")}</p>
      </div>
      <p>{t("sent.contact")}</p>
      <p>
        <a href="/notice">{t("sent.back")}</a>
      </p>
    </>
  );
}
