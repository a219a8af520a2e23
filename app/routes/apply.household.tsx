// /apply/household: the household is never asked twice (WCAG 3.3.7): it
// comes from this browser's finished check and is shown to confirm, with
// links to change it in the check. Without a finished check, the page says
// why and sends the person to the check first.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { stepReached } from "~/domain/apply";
import { isComplete, summarySections, toHousehold } from "~/domain/check";
import { loadApplyState, openApplyDraft, saveApplyDraft } from "~/models/application-draft.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { pageTitle } from "~/utils/page-title";
import { SummarySections } from "~/components/form/summary-sections";
import { readForm } from "~/services/form-body.server";
import { AssistedCsrfField } from "~/components/apply/assisted-csrf";
import { assistedCsrf } from "~/services/apply-csrf.server";

export const handle = { i18n: ["common", "apply", "check"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const { check } = await loadApplyState(db, request);
  const { lng, t } = await translatorFor(request, ["apply", "check", "common"]);
  const ready = Boolean(check && isComplete(check.answers));
  return json({
    title: pageTitle(t, t(ready ? "apply:household.title" : "apply:household.checkFirstTitle")),
    sections: check && ready ? summarySections(t, lng, check.answers) : null,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

// In staff-assisted mode the staff CSRF token is checked first: app/services/apply-csrf.server.ts.
export function action(args: ActionFunctionArgs) {
  return assistedCsrf(confirmHousehold)(args);
}

async function confirmHousehold({ request }: ActionFunctionArgs) {
  await readForm(request);
  const { check, state } = await loadApplyState(db, request);
  if (!check || !isComplete(check.answers)) return redirect("/apply/household");
  const { lng } = await translatorFor(request, ["apply"]);
  const { draft, setCookie } = await openApplyDraft(db, request, lng);
  const answers = { ...draft.answers, household: toHousehold(check.answers) };
  // A changed household may change the suggested programmes and the documents: ask again.
  if (JSON.stringify(draft.answers.household) !== JSON.stringify(answers.household)) {
    delete answers.programs;
    delete answers.documentsDone;
  }
  await saveApplyDraft(db, draft.id, { answers, step: stepReached({ ...state, answers }) });
  return redirect("/apply/programmes", { headers: { "Set-Cookie": setCookie } });
}

export default function ApplyHousehold() {
  const { t } = useTranslation("apply");
  const { sections } = useLoaderData<typeof loader>();
  if (!sections) {
    return (
      <>
        <a className="back-link" href="/apply">
          {t("common:back")}
        </a>
        <h1>{t("household.checkFirstTitle")}</h1>
        <p>{t("household.checkFirst")}</p>
        <a className="button" href="/check">
          {t("household.checkButton")}
        </a>
      </>
    );
  }
  return (
    <>
      <a className="back-link" href="/apply">
        {t("common:back")}
      </a>
      <h1>{t("household.title")}</h1>
      <p>{t("household.lead")}</p>
      <SummarySections sections={sections} changeLabel={t("check:answers.change")} />
      <p className="hint">{t("household.changeHint")}</p>
      <form method="post" action="/apply/household">
        <AssistedCsrfField />
        <button className="button" type="submit">
          {t("household.confirm")}
        </button>
      </form>
    </>
  );
}
