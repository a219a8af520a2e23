// /apply/done/<reference>: the confirmation. The reference is shown large and
// spaced for reading aloud on the phone; no personal data beyond a masked
// phone, and that only to the browser whose draft made this application.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { spacedReference } from "~/domain/apply";
import { maskPhone } from "~/domain/callback";
import { applicationReference } from "~/models/application.server";
import { readApplyDraft } from "~/models/application-draft.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "apply"] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reference = applicationReference(params.reference ?? "");
  if (!reference) throw new Response("Not found", { status: 404 });
  const draft = await readApplyDraft(db, request);
  let maskedPhone: string | null = null;
  if (draft?.submittedReference === reference) {
    const row = await db.application.findUnique({ where: { reference }, select: { applicantPhone: true } });
    maskedPhone = row ? maskPhone(row.applicantPhone) : null;
  }
  const { t } = await translatorFor(request, ["apply", "common"]);
  return json({ title: pageTitle(t, t("apply:done.title")), reference, spoken: spacedReference(reference), maskedPhone });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export default function ApplyDone() {
  const { t } = useTranslation("apply");
  const { reference, spoken, maskedPhone } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="panel confirmation">
        <h1>{t("done.title")}</h1>
        <p>{t("done.referenceLabel")}</p>
        <p className="reference">{reference}</p>
        <p>{t("done.spoken", { spoken })}</p>
      </div>
      <p>{maskedPhone ? t("done.textSentTo", { phone: maskedPhone }) : t("done.textSent")}</p>
      <h2>{t("done.nextTitle")}</h2>
      <ol>
        <li>{t("done.next1")}</li>
        <li>{t("done.next2")}</li>
        <li>{t("done.next3")}</li>
      </ol>
      <p>
        <a href="/track">{t("done.trackLink")}</a>
      </p>
      <p>
        <a href="/callback">{t("needHelp")}</a>
      </p>
    </>
  );
}
