// /apply/details: the applicant's name, ID number and phone and the district
// they live in (Demo City's list, for the public notice if the help is
// approved); for someone else also the helper's name and phone; and, asked
// once and plainly, whether we may call if the application is not finished.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems } from "~/components/form/error-summary";
import { RadioGroup } from "~/components/form/radio-group";
import { TextField } from "~/components/form/text-field";
import { DISTRICTS, districtKey } from "~/domain/case/districts";
import { contactPhone, formInput, needsConsentCode, readDetails, stepReached, translateErrors, whoStatus } from "~/domain/apply";
import { loadApplyState, saveApplyDraft } from "~/models/application-draft.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { AssistedCsrfField } from "~/components/apply/assisted-csrf";
import { assistedCsrf } from "~/services/apply-csrf.server";

export const handle = { i18n: ["common", "apply", "case"] };

async function startedDraft(request: Request) {
  const loaded = await loadApplyState(db, request);
  if (!loaded.draft || whoStatus(loaded.state.answers) !== "completed") throw redirect("/apply/who");
  return { ...loaded, draft: loaded.draft };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { state } = await startedDraft(request);
  const { t } = await translatorFor(request, ["apply", "common"]);
  const a = state.answers;
  return json({
    title: pageTitle(t, t(a.forWhom === "other" ? "apply:details.titleOther" : "apply:details.title"), hasFormErrors(context)),
    onBehalf: a.forWhom === "other",
    values: {
      applicantName: a.applicant?.name ?? "",
      applicantIdNumber: a.applicant?.idNumber ?? "",
      applicantPhone: a.applicant?.phone ?? "",
      helperName: a.helper?.name ?? "",
      helperPhone: a.helper?.phone ?? "",
      district: a.district ?? "",
      callMe: a.callMe ?? "",
    },
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

// In staff-assisted mode the staff CSRF token is checked first: app/services/apply-csrf.server.ts.
export function action(args: ActionFunctionArgs) {
  return assistedCsrf(saveDetails)(args);
}

async function saveDetails({ request, context }: ActionFunctionArgs) {
  const { draft, state } = await startedDraft(request);
  const result = readDetails(state.answers, formInput(await readForm(request)), state.today);
  if (!result.ok) {
    const { t } = await translatorFor(request, ["apply", "application", "common"]);
    markFormErrors(context);
    return json({ errors: translateErrors(t, result.errors), values: result.values }, { status: 400 });
  }
  const answers = result.answers;
  await saveApplyDraft(db, draft.id, {
    answers,
    step: stepReached({ ...state, answers }),
    phone: contactPhone(answers),
    callbackConsent: answers.callMe === "yes",
  });
  return redirect(needsConsentCode(answers) ? "/apply/consent" : "/apply/household");
}

export default function ApplyDetails() {
  const { t } = useTranslation("apply");
  const { values, onBehalf } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const v = failed?.values ?? values;
  const errors: Record<string, string> = failed?.errors ?? {};
  const who = onBehalf ? "them" : "you";
  return (
    <>
      <a className="back-link" href="/apply">
        {t("common:back")}
      </a>
      <ErrorSummary problems={toProblems(failed?.errors)} />
      <h1>{t(onBehalf ? "details.titleOther" : "details.title")}</h1>
      <form method="post" action="/apply/details" noValidate>
        <AssistedCsrfField />
        <TextField name="applicantName" label={t(`details.name_${who}`)} hint={t("details.nameHint")} error={errors.applicantName} defaultValue={v.applicantName} autoComplete={onBehalf ? "off" : "name"} maxLength={60} />
        <TextField name="applicantIdNumber" label={t(`details.idNumber_${who}`)} hint={t("details.idNumberHint")} error={errors.applicantIdNumber} defaultValue={v.applicantIdNumber} autoComplete="off" maxLength={30} />
        <TextField name="applicantPhone" label={t(`details.phone_${who}`)} hint={t(onBehalf ? "details.phoneHintThem" : "details.phoneHint")} error={errors.applicantPhone} defaultValue={v.applicantPhone} type="tel" inputMode="tel" autoComplete={onBehalf ? "off" : "tel"} maxLength={30} />
        <RadioGroup
          name="district"
          legend={t(`details.district_${who}`)}
          hint={t("details.districtHint")}
          error={errors.district}
          defaultValue={v.district}
          options={DISTRICTS.map((code) => ({ value: code, label: t(districtKey(code)) }))}
        />
        {onBehalf ? (
          <>
            <h2>{t("details.helperTitle")}</h2>
            <TextField name="helperName" label={t("details.helperName")} error={errors.helperName} defaultValue={v.helperName} autoComplete="name" maxLength={60} />
            <TextField name="helperPhone" label={t("details.helperPhone")} hint={t("details.phoneHint")} error={errors.helperPhone} defaultValue={v.helperPhone} type="tel" inputMode="tel" autoComplete="tel" maxLength={30} />
          </>
        ) : null}
        <RadioGroup
          name="callMe"
          legend={t("details.callMe")}
          hint={t(onBehalf ? "details.callMeHintHelper" : "details.callMeHint")}
          error={errors.callMe}
          defaultValue={v.callMe}
          options={[
            { value: "yes", label: t("details.callMeYes") },
            { value: "no", label: t("details.callMeNo") },
          ]}
        />
        <button className="button" type="submit">
          {t("common:continue")}
        </button>
      </form>
    </>
  );
}
