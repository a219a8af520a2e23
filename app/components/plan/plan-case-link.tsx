// The "Help plan" section of the staff case page: where the plan stands and a
// link to work it (/staff/cases/:reference/plan). Shown only to staff with
// plan.work, once the case may have a plan (or has one). The loader words it
// (planCaseLinkText), so the case page loads no extra namespace.
import type { TFunction } from "i18next";

export interface PlanCaseLinkText {
  heading: string;
  state: string;
  link: string;
}

export function planCaseLinkText(t: TFunction, plan: "none" | "draft" | "agreed" | null): PlanCaseLinkText | null {
  if (plan === null) return null;
  return { heading: t("plan:caseLink.heading"), state: t(`plan:caseLink.${plan}`), link: t("plan:caseLink.link") };
}

export function PlanCaseLink({ reference, plan }: { reference: string; plan: PlanCaseLinkText | null }) {
  if (plan === null) return null;
  return (
    <section aria-labelledby="plan-link-heading">
      <h2 id="plan-link-heading">{plan.heading}</h2>
      <p>{plan.state}</p>
      <p>
        <a href={`/staff/cases/${reference}/plan`} className="case-link">
          {plan.link}
        </a>
      </p>
    </section>
  );
}
