// /apply/who: for me, or for someone else (who they are to you, and how they
// agree: a code texted to their phone, or a signed letter of authorization).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems } from "~/components/form/error-summary";
import { RadioGroup } from "~/components/form/radio-group";
import { CONSENT_METHODS, FOR_WHOM, formInput, readWho, RELATIONSHIPS, stepReached, translateErrors } from "~/domain/apply";
import { loadApplyState, openApplyDraft, saveApplyDraft } from "~/models/application-draft.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { AssistedCsrfField } from "~/components/apply/assisted-csrf";
import { assistedCsrf } from "~/services/apply-csrf.server";

export const handle = { i18n: ["common", "apply"] };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { state } = await loadApplyState(db, request);
  const { t } = await translatorFor(request, ["apply", "common"]);
  const a = state.answers;
  return json({
    title: pageTitle(t, t("apply:who.title"), hasFormErrors(context)),
    values: { forWhom: a.forWhom ?? "", relationship: a.relationship ?? "", consentMethod: a.consentMethod ?? "" },
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

// In staff-assisted mode the staff CSRF token is checked first: app/services/apply-csrf.server.ts.
export function action(args: ActionFunctionArgs) {
  return assistedCsrf(saveWho)(args);
}

async function saveWho({ request, context }: ActionFunctionArgs) {
  const { state } = await loadApplyState(db, request);
  const result = readWho(state.answers, formInput(await readForm(request)));
  const { lng, t } = await translatorFor(request, ["apply", "application", "common"]);
  if (!result.ok) {
    markFormErrors(context);
    return json({ errors: translateErrors(t, result.errors), values: result.values }, { status: 400 });
  }
  const { draft, setCookie } = await openApplyDraft(db, request, lng);
  await saveApplyDraft(db, draft.id, { answers: result.answers, step: stepReached({ ...state, answers: result.answers }) });
  return redirect("/apply/details", { headers: { "Set-Cookie": setCookie } });
}

export default function ApplyWho() {
  const { t } = useTranslation("apply");
  const { values } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const v = failed?.values ?? values;
  const errors = failed?.errors ?? {};
  return (
    <>
      <a className="back-link" href="/apply">
        {t("common:back")}
      </a>
      <ErrorSummary problems={toProblems(failed?.errors)} />
      <form method="post" action="/apply/who" noValidate>
        <AssistedCsrfField />
        <RadioGroup
          name="forWhom"
          legend={t("who.title")}
          isQuestion
          error={errors.forWhom}
          defaultValue={v.forWhom}
          options={FOR_WHOM.map((value) => ({ value, label: t(`who.forWhom.${value}`) }))}
        />
        <h2>{t("who.otherTitle")}</h2>
        <p className="hint">{t("who.otherHint")}</p>
        <RadioGroup
          name="relationship"
          legend={t("who.relationship")}
          error={errors.relationship}
          defaultValue={v.relationship}
          options={RELATIONSHIPS.map((value) => ({ value, label: t(`relationship.${value}`) }))}
        />
        <RadioGroup
          name="consentMethod"
          legend={t("who.consentMethod")}
          error={errors.consentMethod}
          defaultValue={v.consentMethod}
          options={CONSENT_METHODS.map((value) => ({ value, label: t(`consentMethod.${value}.label`), hint: t(`consentMethod.${value}.hint`) }))}
        />
        <button className="button" type="submit">
          {t("common:continue")}
        </button>
      </form>
    </>
  );
}
