// /apply/programmes: which kinds of help to apply for, as checkboxes; the
// ones the check says may fit (eligible or needing a review) come ticked.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Checkboxes } from "~/components/form/checkboxes";
import { ErrorSummary, toProblems } from "~/components/form/error-summary";
import { programmesStatus, readProgrammes, stepReached, suggestedPrograms, translateErrors } from "~/domain/apply";
import { assessHousehold, outcomeLabel, programName, type Household } from "~/domain/eligibility";
import { loadApplyState, saveApplyDraft } from "~/models/application-draft.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { AssistedCsrfField } from "~/components/apply/assisted-csrf";
import { assistedCsrf } from "~/services/apply-csrf.server";

export const handle = { i18n: ["common", "apply", "rules"] };

async function withHousehold(request: Request) {
  const loaded = await loadApplyState(db, request);
  if (!loaded.draft || programmesStatus(loaded.state.answers) === "cannot_start") throw redirect("/apply");
  return { ...loaded, draft: loaded.draft };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { state } = await withHousehold(request);
  const { t } = await translatorFor(request, ["apply", "rules", "common"]);
  const assessment = assessHousehold(state.answers.household as Household, state.today);
  return json({
    title: pageTitle(t, t("apply:programmes.title"), hasFormErrors(context)),
    options: assessment.results.map((r) => ({ value: r.program, label: programName(t, r.program), hint: outcomeLabel(t, r.outcome) })),
    checked: state.answers.programs ?? suggestedPrograms(assessment),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

// In staff-assisted mode the staff CSRF token is checked first: app/services/apply-csrf.server.ts.
export function action(args: ActionFunctionArgs) {
  return assistedCsrf(saveProgrammes)(args);
}

async function saveProgrammes({ request, context }: ActionFunctionArgs) {
  const { draft, state } = await withHousehold(request);
  const form = await readForm(request);
  const chosen = form.getAll("programs").filter((v): v is string => typeof v === "string");
  const result = readProgrammes(state.answers, chosen);
  if (!result.ok) {
    const { t } = await translatorFor(request, ["apply", "common"]);
    markFormErrors(context);
    return json({ errors: translateErrors(t, result.errors) }, { status: 400 });
  }
  await saveApplyDraft(db, draft.id, { answers: result.answers, step: stepReached({ ...state, answers: result.answers }) });
  return redirect("/apply/documents");
}

export default function ApplyProgrammes() {
  const { t } = useTranslation("apply");
  const { options, checked } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  return (
    <>
      <a className="back-link" href="/apply">
        {t("common:back")}
      </a>
      <ErrorSummary problems={toProblems(failed?.errors)} />
      <form method="post" action="/apply/programmes" noValidate>
        <AssistedCsrfField />
        <Checkboxes name="programs" legend={t("programmes.title")} hint={t("programmes.hint")} isQuestion error={failed?.errors.programs} options={options} checked={failed ? [] : checked} />
        <button className="button" type="submit">
          {t("common:continue")}
        </button>
      </form>
    </>
  );
}
