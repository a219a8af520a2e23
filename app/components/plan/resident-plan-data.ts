// The sentences of the resident's plan section, built on the server from the
// agreed plan (app/models/plan.server.ts agreedPlanOf) in the page's language.
import { explainPlanReason, needName, planAmountText, programTitle, type ReasonValues, type Translate } from "~/domain/plan";
import { formatShanghai } from "~/domain/time/shanghai-format";
import type { Language } from "~/i18n";

/** The parts of an agreed plan this needs (PlanView of the model, structurally). */
export interface AgreedPlanInput {
  agreedAt: Date | null;
  items: Array<{
    id: string;
    kind: "programme" | "service";
    program: string | null;
    amountFen: number | null;
    amountPeriod: string | null;
    need: string | null;
    service: { name: string; organisationName: string; contactPhone: string } | null;
    reasonCode: string;
    reasonValues: ReasonValues;
    referral: { status: string } | null;
  }>;
}

export interface AgreedPlanLike {
  heading: string;
  intro: string;
  programmes: { heading: string; items: Array<{ id: string; name: string; amount: string; why: string }> };
  services: { heading: string; items: Array<{ id: string; name: string; from: string; status: string | null; why: string }> };
}

export type ResidentPlanData = AgreedPlanLike | null;

export function residentPlanData(plan: AgreedPlanInput | null, t: Translate, lng: Language): ResidentPlanData {
  if (!plan) return null;
  const why = (item: AgreedPlanInput["items"][number]) => t("plan:resident.why", { reason: explainPlanReason(t, item.reasonCode, item.reasonValues) });
  return {
    heading: t("plan:resident.heading"),
    intro: t("plan:resident.intro", { date: plan.agreedAt ? formatShanghai(lng, plan.agreedAt, "dateLong") : "" }),
    programmes: {
      heading: t("plan:resident.programmes"),
      items: plan.items
        .filter((i) => i.kind === "programme")
        .map((i) => ({ id: i.id, name: programTitle(t, i.program ?? ""), amount: t("plan:resident.amount", { amount: planAmountText(t, i.amountFen, i.amountPeriod) }), why: why(i) })),
    },
    services: {
      heading: t("plan:resident.services"),
      items: plan.items
        .filter((i) => i.kind === "service")
        .map((i) => ({
          id: i.id,
          name: needName(t, i.need ?? ""),
          from: i.service ? t("plan:resident.from", { organisation: i.service.organisationName, phone: i.service.contactPhone }) : t("plan:resident.noOrganisation"),
          status: i.referral ? t(`plan:resident.status.${i.referral.status}`, { defaultValue: "" }) || null : null,
          why: why(i),
        })),
    },
  };
}
