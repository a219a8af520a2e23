// /apply/answers: check your answers before sending (GOV.UK summary list),
// each row with a change link to its task page. Only when every task is done.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { readyToSubmit } from "~/domain/apply";
import { districtKey, isDistrict } from "~/domain/case/districts";
import { maskPhone } from "~/domain/callback";
import { programName, type ProgramCode } from "~/domain/eligibility";
import { maskIdNumber } from "~/domain/identity";
import { loadApplyState } from "~/models/application-draft.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "apply"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const { draft, state } = await loadApplyState(db, request);
  if (!draft || !readyToSubmit(state)) throw redirect("/apply");
  const { t } = await translatorFor(request, ["apply", "rules", "case", "common"]);
  const a = state.answers;
  const onBehalf = a.forWhom === "other";
  const rows: { key: string; label: string; value: string; href: string }[] = [
    { key: "forWhom", label: t("apply:answers.forWhom"), value: t(`apply:who.forWhom.${a.forWhom}`), href: "/apply/who" },
  ];
  if (onBehalf) {
    rows.push({ key: "relationship", label: t("apply:who.relationship"), value: t(`apply:relationship.${a.relationship}`), href: "/apply/who" });
    rows.push({ key: "consent", label: t("apply:who.consentMethod"), value: t(`apply:consentMethod.${a.consentMethod}.label`), href: "/apply/who" });
  }
  rows.push(
    { key: "name", label: t("apply:answers.name"), value: a.applicant?.name ?? "", href: "/apply/details" },
    // Masked on screen: the page may be seen over a shoulder; the full number is in the form to change it.
    { key: "idNumber", label: t("apply:answers.idNumber"), value: maskIdNumber(a.applicant?.idNumber ?? ""), href: "/apply/details" },
    { key: "phone", label: t("apply:answers.phone"), value: maskPhone(a.applicant?.phone ?? ""), href: "/apply/details" },
    { key: "district", label: t("apply:answers.district"), value: isDistrict(a.district) ? t(districtKey(a.district)) : "", href: "/apply/details" },
  );
  if (onBehalf) {
    rows.push(
      { key: "helperName", label: t("apply:details.helperName"), value: a.helper?.name ?? "", href: "/apply/details" },
      { key: "helperPhone", label: t("apply:details.helperPhone"), value: maskPhone(a.helper?.phone ?? ""), href: "/apply/details" },
    );
  }
  rows.push(
    { key: "callMe", label: t("apply:details.callMe"), value: t(a.callMe === "yes" ? "apply:details.callMeYes" : "apply:details.callMeNo"), href: "/apply/details" },
    { key: "household", label: t("apply:answers.household"), value: t("apply:answers.householdValue", { count: (a.household as { members?: unknown[] })?.members?.length ?? 0 }), href: "/apply/household" },
    { key: "programmes", label: t("apply:answers.programmes"), value: (a.programs ?? []).map((p) => programName(t, p as ProgramCode)).join(t("apply:answers.listSeparator")), href: "/apply/programmes" },
    { key: "documents", label: t("apply:answers.documents"), value: t("apply:answers.documentsValue", { count: draft.evidence.length }), href: "/apply/documents" },
  );
  return json({ title: pageTitle(t, t("apply:answers.title")), rows });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export default function ApplyAnswers() {
  const { t } = useTranslation("apply");
  const { rows } = useLoaderData<typeof loader>();
  return (
    <>
      <a className="back-link" href="/apply">
        {t("common:back")}
      </a>
      <h1>{t("answers.title")}</h1>
      <dl className="summary-list">
        {rows.map((row) => (
          <div className="summary-row" key={row.key}>
            <dt>{row.label}</dt>
            <dd>{row.value}</dd>
            <dd className="summary-action">
              <a href={row.href}>
                {t("answers.change")}
                <span className="visually-hidden"> {row.label}</span>
              </a>
            </dd>
          </div>
        ))}
      </dl>
      <a className="button" href="/apply/declaration">
        {t("common:continue")}
      </a>
    </>
  );
}
