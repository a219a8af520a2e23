// /apply/resume/<token>: the link from the "save and come back later" text.
// A good token sets this browser's draft cookie and opens the task list; a
// forged, changed or out-of-date one says so and offers to start again.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { applyDraftCookie, findApplyDraft, readResumeToken } from "~/models/application-draft.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "apply"] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = readResumeToken(params.token ?? "");
  const draft = id ? await findApplyDraft(db, id) : null;
  if (draft) return redirect("/apply", { headers: { "Set-Cookie": applyDraftCookie(draft.id) } });
  const { t } = await translatorFor(request, ["apply", "common"]);
  return json({ title: pageTitle(t, t("apply:resume.title")) }, { status: 404 });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export default function ApplyResume() {
  const { t } = useTranslation("apply");
  return (
    <>
      <h1>{t("resume.title")}</h1>
      <p>{t("resume.lead")}</p>
      <a className="button" href="/apply">
        {t("resume.start")}
      </a>
    </>
  );
}
