// /callback/done/<reference>: the confirmation after asking for a call-back:
// the reference in groups easy to read aloud, when we will call (Asia/Shanghai
// time, plain words) and the number masked. References are random and not
// guessable, and this page shows nothing more personal than "138****5678".
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { dueWords, isValidReference, normalizeReference, REFERENCE_PREFIX, referenceGroups } from "~/domain/callback";
import { findCallbackConfirmation } from "~/models/callback.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "callback"] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lng, t } = await translatorFor(request, ["callback", "common"]);
  const reference = normalizeReference(params.reference ?? "");
  const found = isValidReference(reference, REFERENCE_PREFIX.callback) ? await findCallbackConfirmation(db, reference) : null;
  if (!found) throw new Response("Not found", { status: 404 });
  return json(
    {
      title: pageTitle(t, t("callback:done.title")),
      groups: referenceGroups(found.reference),
      maskedPhone: found.maskedPhone,
      due: dueWords(found.dueAt, new Date(), lng),
    },
    // The reference in the address is enough to open this page: keep it out of shared caches.
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export default function CallbackDone() {
  const { t } = useTranslation("callback");
  const { groups, maskedPhone, due } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="callback-panel">
        <h1>{t("done.title")}</h1>
        <p>{t("done.referenceIntro")}</p>
        <p className="callback-reference">{groups.join(" ")}</p>
      </div>
      <p className="lead">{t(`done.when.${due.day}`, { phone: maskedPhone, time: due.time, date: due.date })}</p>
      <p>{t("done.keepReference")}</p>
      <h2>{t("done.nextTitle")}</h2>
      <p>{t("done.next")}</p>
      <p>
        <a href="/callback">{t("done.wrongNumber")}</a>
      </p>
      <p>
        <a href="/">{t("done.home")}</a>
      </p>
    </>
  );
}
