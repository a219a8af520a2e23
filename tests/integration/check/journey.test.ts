// The web check end to end through its route modules: posting each page and
// following redirects with the draft cookie, to results that match the rule
// engine for the same household; reloads, bad input, change links, restart.
import { describe, expect, it } from "vitest";
import { toHousehold, type CheckAnswers } from "~/domain/check";
import { shanghaiDate } from "~/domain/callback";
import { assessHousehold } from "~/domain/eligibility";
import { readCheckDraft } from "~/models/check-draft.server";
import { db } from "~/services/db.server";
import { CHECK_PERSONAS, lone_elder, mother_and_son, type CheckPersona } from "../../fixtures/check-personas";
import { CheckClient } from "./client";

interface QuestionData {
  pageTitle: string;
  view: { stepId: string; title: string; caption: string; actionHref: string };
  backHref: string;
  values: Record<string, string>;
}

/** Walks the persona through every page; returns the pages seen and the client at the answers page. */
async function walk(persona: CheckPersona, client = new CheckClient()): Promise<{ client: CheckClient; seen: string[] }> {
  const seen: string[] = [];
  let path = "/check/who";
  while (path.startsWith("/check/") && path !== "/check/answers") {
    const page = await client.get(path);
    expect(page.status, `GET ${path}`).toBe(200);
    const stepId = path.slice("/check/".length);
    seen.push(stepId);
    const reply = await client.post(path, persona.pages[stepId] ?? {});
    expect(reply.status, `POST ${path}: ${JSON.stringify(reply.data)}`).toBe(302);
    path = reply.location!;
  }
  return { client, seen };
}

async function draftAnswers(client: CheckClient): Promise<CheckAnswers> {
  const draft = await readCheckDraft(new Request("http://localhost/", { headers: { Cookie: client.cookie ?? "" } }));
  if (!draft) throw new Error("no draft");
  return draft.answers;
}

describe("the start page", () => {
  it("offers to start when there is no draft", async () => {
    const page = await new CheckClient().get("/check");
    expect(page.data).toMatchObject({ started: false });
  });

  it("offers to continue where the person left off, and to start again", async () => {
    const client = new CheckClient();
    await client.post("/check/who", { forWhom: "self" });
    await client.post("/check/household-size", { householdSize: "1" });
    expect((await client.get("/check")).data).toMatchObject({ started: true, complete: false, resumeHref: "/check/person/1/age" });

    const restart = await client.post("/check", { intent: "restart" });
    expect(restart.location).toBe("/check/who");
    expect(restart.setCookie).toMatch(/^check_draft=;.*Max-Age=0/);
    expect(client.cookie).toBeNull();
    expect((await client.get("/check")).data).toMatchObject({ started: false });
  });
});

describe("walking through the check", () => {
  for (const persona of CHECK_PERSONAS) {
    it(`${persona.name}: every page, then answers, then results that match the rules`, async () => {
      const { client, seen } = await walk(persona);
      expect(seen).toEqual(persona.expectedSteps);

      const answers = await client.get("/check/answers");
      expect(answers.status).toBe(200);

      const page = await client.get("/check/results");
      expect(page.status).toBe(200);
      const data = page.data as { asOf: string; rulesVersion: string; results: { program: string; outcome: string; amount: unknown }[] };
      const expected = assessHousehold(toHousehold(await draftAnswers(client)), shanghaiDate(new Date()));
      expect(data.asOf).toBe(expected.asOf);
      expect(data.rulesVersion).toBe(expected.rulesVersion);
      expect(data.results.map((r) => [r.program, r.outcome, r.amount])).toEqual(expected.results.map((r) => [r.program, r.outcome, r.amount]));
      expect(data.results.map((r) => r.program)).toEqual(["tekun", "dibao", "low_income", "medical", "education", "housing", "employment", "temporary", "disaster"]);
    });
  }

  it("shows the mother and son's results in words: outcome, amount, reasons and next steps", async () => {
    const { client } = await walk(mother_and_son);
    client.lng = "en";
    const data = (await client.get("/check/results")).data as {
      title: string;
      results: { program: string; outcome: string; amountText: string | null; reasons: { text: string; passed: boolean }[]; changes: string[]; name: string }[];
    };
    expect(data.title).toMatch(/^What help you may be able to get – /);
    const dibao = data.results.find((r) => r.program === "dibao")!;
    // H = 1500, R = 500 a month (6000 a year medical), P = 500 per person: dibao (1000 − 500) × 2 = 1000 a month
    expect(dibao.outcome).toBe("eligible");
    expect(dibao.amountText).toBe("About ¥1,000 a month");
    expect(dibao.name).toBe("Minimum living allowance");
    expect(dibao.reasons.length).toBeGreaterThan(0);
    for (const r of data.results) {
      for (const reason of r.reasons) expect(reason.text).not.toMatch(/rules:|reason\./);
      for (const change of r.changes) expect(change).not.toMatch(/rules:|change\./);
    }
  });

  it("keeps answers across a reload and a return the next day", async () => {
    const client = new CheckClient();
    await client.post("/check/who", { forWhom: "other" });
    await client.post("/check/household-size", { householdSize: "3" });
    const cookie = client.cookie;
    expect(cookie).toMatch(/^check_draft=[0-9a-f]{32}$/);

    const again = (await client.get("/check/household-size")).data as QuestionData;
    expect(again.values).toEqual({ householdSize: "3" });

    // A new visit with the same cookie (a browser reopened the next day)
    const tomorrow = new CheckClient();
    tomorrow.cookie = cookie;
    expect((await tomorrow.get("/check/who")).data).toMatchObject({ values: { forWhom: "other" } });
    expect((await tomorrow.get("/check/answers")).location).toBe("/check/person/1/age");
  });

  it("sets the draft cookie HttpOnly, SameSite=Lax, for 30 days", async () => {
    const reply = await new CheckClient().post("/check/who", { forWhom: "self" });
    expect(reply.setCookie).toMatch(/^check_draft=[0-9a-f]{32}; Path=\/; Max-Age=2592000; HttpOnly; SameSite=Lax$/);
  });

  it("does not let a person skip ahead or open pages that do not apply", async () => {
    const client = new CheckClient();
    expect((await client.get("/check/savings")).location).toBe("/check/who");
    await walk(mother_and_son, client);
    expect((await client.get("/check/person/3/age")).location).toBe("/check/answers");
    expect((await client.get("/check/person/1/study")).location).toBe("/check/answers"); // 45: no study page
    expect((await client.get("/check/school-costs")).location).toBe("/check/answers");
    expect((await client.get("/check/nonsense")).status).toBe(404);
  });

  it("sends an unfinished check from the answers and results pages to the next question", async () => {
    const client = new CheckClient();
    expect((await client.get("/check/answers")).location).toBe("/check");
    expect((await client.get("/check/results")).location).toBe("/check");
    await client.post("/check/who", { forWhom: "self" });
    expect((await client.get("/check/results")).location).toBe("/check/household-size");
  });
});

describe("question pages", () => {
  it("words the question for the person it is about, with a back link to the previous page", async () => {
    const client = new CheckClient();
    client.lng = "en";
    await client.post("/check/who", { forWhom: "self" });
    await client.post("/check/household-size", { householdSize: "2" });
    const first = (await client.get("/check/person/1/age")).data as QuestionData;
    expect(first.view.title).toBe("How old are you?");
    expect(first.pageTitle).toMatch(/^How old are you\? – /);
    expect(first.backHref).toBe("/check/household-size");
    for (const [page, fields] of Object.entries(mother_and_son.pages).slice(2, 6)) await client.post(`/check/${page}`, fields);
    const second = (await client.get("/check/person/2/age")).data as QuestionData;
    expect(second.view.title).toBe("How old is person 2?");
    expect(second.view.caption).toBe("About person 2 of 2");
    expect(second.backHref).toBe("/check/person/1/income");

    client.lng = "zh-CN";
    const zh = (await client.get("/check/person/2/age")).data as QuestionData;
    expect(zh.view.title).toBe("第 2 个人今年多大年纪？");
  });

  it("words it for a family member when checking for someone else", async () => {
    const client = new CheckClient();
    client.lng = "en";
    await client.post("/check/who", { forWhom: "other" });
    await client.post("/check/household-size", { householdSize: "1" });
    expect(((await client.get("/check/person/1/age")).data as QuestionData).view.title).toBe("How old is your family member?");
  });

  it("answers bad input with 400, the specific message, an Error: title and what was typed", async () => {
    const client = new CheckClient();
    client.lng = "en";
    await client.post("/check/who", { forWhom: "self" });
    await client.post("/check/household-size", { householdSize: "1" });
    await client.post("/check/person/1/age", { age: "45" });

    const { action, page } = await client.submit("/check/person/1/age", { age: "forty-five" });
    expect(action.status).toBe(400);
    expect(action.data).toEqual({ errors: { age: "Enter the age as a whole number, like 45" }, values: { age: "forty-five" } });
    expect((page!.data as QuestionData).pageTitle).toMatch(/^Error: How old are you\? – /);

    // the earlier answer is not lost
    expect(((await client.get("/check/person/1/age")).data as QuestionData).values).toEqual({ age: "45" });
    // and a page without errors has a plain title
    expect(((await client.get("/check/person/1/age")).data as QuestionData).pageTitle).not.toMatch(/^Error/);

    client.lng = "zh-CN";
    const amount = await client.submit("/check/person/1/disability", {});
    expect(amount.action.status).toBe(400);
    expect(amount.action.data).toMatchObject({ errors: { disability: "请选择有没有残疾人证" } });
    expect((amount.page!.data as QuestionData).pageTitle).toMatch(/^错误：/);
  });

  it("names the amount problem and accepts full-width digits and yuan signs", async () => {
    const client = new CheckClient();
    client.lng = "en";
    for (const [page, fields] of Object.entries(lone_elder.pages).slice(0, 5)) await client.post(`/check/${page}`, fields);
    const bad = await client.post("/check/person/1/income", { income: "about six hundred" });
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ errors: { income: "Enter an amount in yuan, like 1500" } });
    const good = await client.post("/check/person/1/income", { income: "￥６００．５０元" });
    expect(good.location).toBe("/check/support");
    expect((await draftAnswers(client)).people?.[0].income).toBe(600.5);
  });

  it("'I don't know' leaves the amount out of the household", async () => {
    const { client } = await walk(lone_elder);
    const answers = await draftAnswers(client);
    expect(answers.savings).toBe("unknown");
    expect(toHousehold(answers).assets).not.toHaveProperty("financial");
  });
});

describe("check your answers", () => {
  it("lists every answer with a change link", async () => {
    const { client } = await walk(mother_and_son);
    client.lng = "en";
    const data = (await client.get("/check/answers")).data as {
      sections: { title: string; rows: { label: string; value: string; changeHref: string; changeContext: string }[] }[];
    };
    expect(data.sections.map((s) => s.title)).toEqual(["About your household", "About you", "About person 2 of 2", "Money, home and costs"]);
    const rows = data.sections.flatMap((s) => s.rows);
    expect(rows.find((r) => r.changeHref === "/check/person/2/age?change=1")).toMatchObject({ label: "Age", value: "70", changeContext: "Age (About person 2 of 2)" });
    expect(rows.find((r) => r.changeHref === "/check/person/1/income?change=1")).toMatchObject({ value: "¥1,200" });
    expect(rows.find((r) => r.changeHref === "/check/home-size?change=1")).toMatchObject({ value: "24 square metres" });
    expect(rows.filter((r) => r.changeHref === "/check/cars-and-homes?change=1").map((r) => r.value)).toEqual(["0", "1"]);
    expect(rows.find((r) => r.changeHref === "/check/person/2/work?change=1")).toMatchObject({ value: "Cannot work" });
  });

  it("a change link goes to the question and back to the answers", async () => {
    const { client } = await walk(mother_and_son);
    const page = (await client.get("/check/savings?change=1")).data as QuestionData;
    expect(page.backHref).toBe("/check/answers");
    expect(page.view.actionHref).toBe("/check/savings?change=1");
    expect(page.values).toEqual({ savings: "5000" });
    const saved = await client.post("/check/savings?change=1", { savings: "8000" });
    expect(saved.location).toBe("/check/answers");
    expect((await draftAnswers(client)).savings).toBe(8000);
  });

  it("a change that opens new questions asks them, then goes back to the answers", async () => {
    const { client } = await walk(mother_and_son);
    const bigger = await client.post("/check/household-size?change=1", { householdSize: "3" });
    expect(bigger.location).toBe("/check/person/3/age?change=1");
    const steps: [string, Record<string, string>][] = [
      ["person/3/age", { age: "17" }],
      ["person/3/disability", { disability: "none" }],
      ["person/3/study", { student: "high_school" }],
      ["person/3/work", { work: "not_employed" }],
      ["person/3/income", { income: "0" }],
      ["school-costs", { schoolCosts: "3000" }],
    ];
    let location = bigger.location;
    for (const [step, fields] of steps) {
      expect(location).toBe(`/check/${step}?change=1`);
      location = (await client.post(location!, fields)).location;
    }
    expect(location).toBe("/check/answers");
    expect((await client.get("/check/answers")).status).toBe(200);
  });
});

describe("the draft", () => {
  it("is stored server side against the cookie, with no personal details in the cookie", async () => {
    const { client } = await walk(lone_elder);
    const id = client.cookie!.split("=")[1];
    const row = await db.checkDraft.findUnique({ where: { id } });
    expect(row).not.toBeNull();
    expect(JSON.parse(row!.answers)).toMatchObject({ forWhom: "other", householdSize: 1 });
    expect(row!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 60 * 60 * 1000);
  });

  it("ignores an expired draft and a cookie that is not one of ours", async () => {
    const { client } = await walk(lone_elder);
    const id = client.cookie!.split("=")[1];
    await db.checkDraft.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await client.get("/check")).data).toMatchObject({ started: false });
    // answering again starts a fresh draft rather than reviving the expired one
    const reply = await client.post("/check/who", { forWhom: "self" });
    expect(reply.location).toBe("/check/household-size");
    expect(client.cookie).not.toBe(`check_draft=${id}`);
    expect(await draftAnswers(client)).toEqual({ forWhom: "self" });
    expect(await db.checkDraft.findUnique({ where: { id } })).toBeNull(); // expired drafts are cleared away

    const forged = new CheckClient();
    forged.cookie = "check_draft=../../etc";
    expect((await forged.get("/check")).data).toMatchObject({ started: false });
  });
});
