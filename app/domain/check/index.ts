/**
 * The web eligibility check as data (issue 2, item 5): answers, the plan of
 * question steps with their conditions, moving back and forward, reading form
 * input, and turning answers into the rule engine's Household. Pure TypeScript.
 */
export * from "./answers";
export * from "./parse";
export * from "./steps";
export * from "./journey";
export * from "./household";
export * from "./wording";
