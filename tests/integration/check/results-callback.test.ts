// The results page's one-tap call-back: it queues a CallbackRequest with
// source eligibility_review whose context carries the answers and the
// outcomes, then shows the reference and when we will call.
import { describe, expect, it } from "vitest";
import { normalizeMobile } from "~/domain/callback";
import { db } from "~/services/db.server";
import enCallback from "../../../public/locales/en/callback.json";
import { lone_elder, mother_and_son, type CheckPersona } from "../../fixtures/check-personas";
import { CheckClient } from "./client";

async function finished(persona: CheckPersona): Promise<CheckClient> {
  const client = new CheckClient();
  client.lng = "en";
  let path = "/check/who";
  while (path !== "/check/answers") {
    const reply = await client.post(path, persona.pages[path.slice("/check/".length)]);
    path = reply.location!;
  }
  return client;
}

interface ResultsData {
  title: string;
  results: { program: string; outcome: string }[];
  callback: { reference: string; due: string } | null;
}

describe("asking for a call back from the results", () => {
  it("creates an eligibility_review call-back with the answers and the outcomes", async () => {
    const client = await finished(lone_elder);
    const before = await db.callbackRequest.count();
    const reply = await client.post("/check/results", { phone: "138 0013 8000" });
    expect(reply.status).toBe(302);
    expect(reply.location).toBe("/check/results#callback");
    expect(await db.callbackRequest.count()).toBe(before + 1);

    const row = await db.callbackRequest.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    expect(row.source).toBe("eligibility_review");
    expect(row.phone).toBe("+8613800138000");
    expect(row.language).toBe("en");
    expect(row.oldestAge).toBe(82);
    const context = JSON.parse(row.context);
    expect(context.check.answers).toMatchObject({ forWhom: "other", householdSize: 1, savings: "unknown", people: [{ age: 82, income: 600 }] });
    expect(context.check.household.members).toEqual([{ age: 82, disability: "none", canWork: false, employed: false, student: "none", monthlyIncome: 600 }]);
    expect(context.check.assessment.rulesVersion).toMatch(/^demo-city@/);
    expect(context.check.assessment.results.map((r: { program: string }) => r.program)).toHaveLength(9);
    const page = (await client.get("/check/results")).data as ResultsData;
    expect(context.check.assessment.results.map((r: { outcome: string }) => r.outcome)).toEqual(page.results.map((r) => r.outcome));

    expect(page.callback?.reference).toBe(row.reference);
    expect(page.callback?.due).toMatch(/^We will call you/);

    // a second tap does not queue a second call
    const again = await client.post("/check/results", { phone: "138 0013 8000" });
    expect(again.location).toBe("/check/results#callback");
    expect(await db.callbackRequest.count()).toBe(before + 1);
  });

  it("answers a bad phone number with 400, a message on the field and an Error: title, and queues nothing", async () => {
    const client = await finished(mother_and_son);
    const before = await db.callbackRequest.count();
    const { action, page } = await client.submit("/check/results", { phone: "12345" });
    expect(action.status).toBe(400);
    const data = action.data as { errors: { phone: string }; phone: string };
    expect(data.phone).toBe("12345");
    // the call-back form's own message for this mistake, in the page's language
    expect(normalizeMobile("12345")).toEqual({ ok: false, error: "phone.notMobile" });
    expect(data.errors.phone).toBe(enCallback.phone.notMobile);
    expect((page!.data as ResultsData).title).toMatch(/^Error: /);
    expect(await db.callbackRequest.count()).toBe(before);
    expect((page!.data as ResultsData).callback).toBeNull();
  });

  it("needs a finished check", async () => {
    const client = new CheckClient();
    await client.post("/check/who", { forWhom: "self" });
    const reply = await client.post("/check/results", { phone: "13800138000" });
    expect(reply.location).toBe("/check/household-size");
  });
});
