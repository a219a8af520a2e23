// Assistance plans (issue 9), pure TypeScript: the needs a household shows,
// the proposed plan with a reason for each item, the service a need goes to,
// and the plain words for all of it.
export { NEED_CODES, householdNeeds, isNeedCode, type NeedCode, type NeedFinding } from "./needs";
export { PLAN_REASON_CODES, isPlanReasonCode, needReason, suggestPlan, type AmountPeriod, type PlanDecision, type PlanReasonCode, type ReasonValues, type SuggestedItem } from "./suggest";
export { canTake, freeRoom, matchService, type ServiceOption } from "./match";
export { explainPlanReason, fenToYuan, needName, planAmountText, programTitle, type Translate } from "./explain";
export { checkOrganisation, checkService, type OrganisationInput, type ServiceInput, type FormCheck } from "./catalogue-form";
export { NOTE_MAX_PLAN } from "./catalogue-form";
export { AGREED_HOW, PLAN_STATUSES, planAllowed, type AgreedHow } from "./statuses";
