// /check/answers: check your answers (GOV.UK summary list). Each row has a
// change link that opens the question and comes back here; the button goes
// on to the results. Unfinished checks are sent to their next question.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { applicableSteps, firstUnanswered, stepPath, summarySections } from "~/domain/check";
import { CHECK_JOURNEY } from "~/domain/callback/funnel";
import { readCheckDraft } from "~/models/check-draft.server";
import { recordJourneyStep } from "~/models/journey-step.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { pageTitle } from "~/utils/page-title";
import { SummarySections } from "~/components/form/summary-sections";

export const handle = { i18n: ["common", "check"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const draft = await readCheckDraft(request);
  if (!draft) throw redirect("/check");
  const next = firstUnanswered(draft.answers);
  if (next) throw redirect(stepPath(next));
  await recordJourneyStep(db, { journey: CHECK_JOURNEY, draftId: draft.id, step: "answers" });
  const { lng, t } = await translatorFor(request, ["check", "common"]);
  const steps = applicableSteps(draft.answers);
  return json({
    title: pageTitle(t, t("check:answers.title")),
    sections: summarySections(t, lng, draft.answers),
    backHref: stepPath(steps[steps.length - 1]),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export default function CheckAnswers() {
  const { t } = useTranslation("check");
  const { sections, backHref } = useLoaderData<typeof loader>();
  return (
    <>
      <a className="back-link" href={backHref}>
        {t("common:back")}
      </a>
      <h1>{t("answers.title")}</h1>
      <p>{t("answers.lead")}</p>
      <SummarySections sections={sections} changeLabel={t("answers.change")} />
      <a className="button" href="/check/results">
        {t("answers.seeResults")}
      </a>
    </>
  );
}
