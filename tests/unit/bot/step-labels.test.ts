// A chat or SMS call-back tells the caseworker the step the resident reached
// (context.step): every step of the assistant has plain words for it on the
// staff page, in both languages.
import { expect, it } from "vitest";
import type { StepId } from "~/domain/bot/engine";
import { fixedT } from "~/services/i18n.server";

// `satisfies` makes the typecheck fail when a step is added without a label here.
const STEPS = {
  menu: true,
  check: true,
  "case.reference": true,
  "case.phone": true,
  "case.code": true,
  "callback.confirm": true,
  "callback.phone": true,
  "callback.time": true,
  "agent.phone": true,
  language: true,
} satisfies Record<StepId, true>;

it.each(["zh-CN", "en"] as const)("labels every assistant step for staff (%s)", (lng) => {
  const t = fixedT(lng, "queue");
  for (const step of Object.keys(STEPS)) {
    const key = `detail.steps.${step}`;
    const text = t(key);
    expect(text, step).not.toBe(key);
    expect(typeof text, step).toBe("string");
  }
});
