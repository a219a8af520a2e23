// /check: the start page of the eligibility check, or "continue where you left
// off" when this browser has a draft, with a way to delete it and start again.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { firstUnanswered, isComplete, stepPath } from "~/domain/check";
import { deleteCheckDraft, readCheckDraft } from "~/models/check-draft.server";
import { translatorFor } from "~/services/i18n.server";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";

export const handle = { i18n: ["common", "check"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await translatorFor(request, ["check", "common"]);
  const draft = await readCheckDraft(request);
  const answers = draft?.answers ?? {};
  const started = Object.keys(answers).some((k) => k !== "callback");
  const complete = isComplete(answers);
  const next = firstUnanswered(answers);
  return json({
    title: pageTitle(t, t("check:start.title")),
    started,
    complete,
    resumeHref: complete || !next ? "/check/answers" : stepPath(next),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  if (form.get("intent") !== "restart") return redirect("/check");
  const setCookie = await deleteCheckDraft(request);
  return redirect(stepPath("who"), { headers: { "Set-Cookie": setCookie } });
}

export default function CheckStart() {
  const { t } = useTranslation("check");
  const { started, complete, resumeHref } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("start.title")}</h1>
      <p className="lead">{t("start.lead")}</p>
      <ul>
        <li>{t("start.forWhom")}</li>
        <li>{t("start.dontKnow")}</li>
        <li>{t("start.saved")}</li>
      </ul>
      <p>{t("start.notDecision")}</p>
      {started ? (
        <>
          <h2>{t("start.continueTitle")}</h2>
          <p>{t("start.continueBody")}</p>
          <div className="button-group">
            <a className="button" href={resumeHref}>
              {complete ? t("start.answersButton") : t("start.continueButton")}
            </a>
          </div>
          <h2>{t("start.restartTitle")}</h2>
          <form method="post" action="/check?index">
            <p>{t("start.restartBody")}</p>
            <button className="button secondary" type="submit" name="intent" value="restart">
              {t("start.restartButton")}
            </button>
          </form>
        </>
      ) : (
        <a className="button" href={stepPath("who")}>
          {t("start.startButton")}
        </a>
      )}
      <p>
        <a href="/callback">{t("notSure")}</a>
      </p>
    </>
  );
}
