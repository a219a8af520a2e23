// /check/<step> (e.g. /check/savings, /check/person/2/age): one question of
// the eligibility check. GET shows it with the saved answer; POST saves it and
// redirects to the next question (or back to check-your-answers after a
// change), or answers 400 with the error summary and what was typed.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { QuestionForm } from "~/components/check/question-form";
import { ErrorSummary, toProblems } from "~/components/form/error-summary";
import {
  firstUnanswered,
  formValues,
  isReachable,
  nextStep,
  parseStepId,
  previousStep,
  saveStep,
  stepCaption,
  stepPath,
  stepTitle,
  wordingFor,
  type CheckAnswers,
  type FormInput,
  type Step,
} from "~/domain/check";
import { CHECK_JOURNEY, funnelStepId } from "~/domain/callback/funnel";
import { readCheckDraft, saveCheckAnswers } from "~/models/check-draft.server";
import { recordJourneyStep } from "~/models/journey-step.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";

export const handle = { i18n: ["common", "check"] };

const ANSWERS_PATH = "/check/answers";


function isChange(request: Request): boolean {
  return new URL(request.url).searchParams.get("change") === "1";
}

function findStep(params: LoaderFunctionArgs["params"]): Step {
  const step = parseStepId(params["*"] ?? "");
  if (!step) throw new Response("Not found", { status: 404 });
  return step;
}

/** Where to send someone who asked for a page they cannot answer yet (or that does not apply). */
function resumePath(answers: CheckAnswers): string {
  const next = firstUnanswered(answers);
  return next ? stepPath(next) : ANSWERS_PATH;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const step = findStep(params);
  const draft = await readCheckDraft(request);
  const answers = draft?.answers ?? {};
  if (!isReachable(answers, step.id)) throw redirect(resumePath(answers));
  // The drop-off funnel (staff dashboard): this draft reached this question.
  if (draft) await recordJourneyStep(db, { journey: CHECK_JOURNEY, draftId: draft.id, step: funnelStepId(step) });
  const { t } = await translatorFor(request, ["check", "common"]);
  const wording = wordingFor(answers, step);
  const title = stepTitle(t, step, wording);
  const change = isChange(request);
  const previous = previousStep(answers, step.id);
  const hasErrors = hasFormErrors(context);
  return json({
    pageTitle: pageTitle(t, title, hasErrors),
    view: {
      stepId: step.id,
      slug: step.def.slug,
      widget: step.def.widget,
      voice: wording.voice,
      title,
      caption: stepCaption(t, wording, step.person !== null),
      actionHref: `${stepPath(step)}${change ? "?change=1" : ""}`,
    },
    backHref: change ? ANSWERS_PATH : previous ? stepPath(previous) : "/check",
    values: formValues(answers, step),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

function formInput(form: FormData): FormInput {
  const input: FormInput = {};
  for (const [key, value] of form) if (typeof value === "string" && !(key in input)) input[key] = value;
  return input;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const step = findStep(params);
  const draft = await readCheckDraft(request);
  const answers = draft?.answers ?? {};
  if (!isReachable(answers, step.id)) return redirect(resumePath(answers));
  const result = saveStep(answers, step, formInput(await readForm(request)));
  if (!result.ok) {
    const { t } = await translatorFor(request, ["check", "common"]);
    const errors = Object.fromEntries(Object.entries(result.errors).map(([field, key]) => [field, t(`check:errors.${key}`)]));
    markFormErrors(context);
    return json({ errors, values: result.values }, { status: 400 });
  }
  const saved = await saveCheckAnswers(request, result.answers);
  // The first question is shown before a draft exists: answering it counts as reaching it.
  await recordJourneyStep(db, { journey: CHECK_JOURNEY, draftId: saved.id, step: funnelStepId(step) });
  let target: string;
  if (isChange(request)) {
    // After a change, only questions the new answer opens are asked, then back to the summary.
    const open = firstUnanswered(result.answers);
    target = open ? `${stepPath(open)}?change=1` : ANSWERS_PATH;
  } else {
    const next = nextStep(result.answers, step.id);
    target = next ? stepPath(next) : ANSWERS_PATH;
  }
  return redirect(target, { headers: { "Set-Cookie": saved.setCookie } });
}

export default function CheckQuestion() {
  const { t } = useTranslation("check");
  const { view, backHref, values } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData && "errors" in actionData ? actionData : null;
  return (
    <>
      <a className="back-link" href={backHref}>
        {t("common:back")}
      </a>
      <ErrorSummary problems={toProblems(failed?.errors)} />
      <QuestionForm view={view} values={failed?.values ?? values} errors={failed?.errors ?? {}} />
      <p>
        <a href="/callback">{t("notSure")}</a>
      </p>
    </>
  );
}
