// The eligibility check in Chromium with JavaScript off, in both languages:
// every page of a persona's walk, an error page, check your answers, the
// results and the call-back confirmation, each checked with axe (WCAG 2.2 AA,
// target size), the keyboard walk and 320 px reflow.
import type { Page } from "playwright-core";
import enCheck from "../../public/locales/en/check.json";
import zhCheck from "../../public/locales/zh-CN/check.json";
import { lone_elder, mother_and_son, type CheckPersona } from "../fixtures/check-personas";
// aliased: the name starts with "use", which the React hooks lint rule would take for a hook
import { useBrowser as browserForThisFile } from "../support/browser";
import { checkCurrentPage, checkPage, type Lng } from "../support/check-page";

const { newPage, open } = browserForThisFile();
const TEXT = { en: enCheck, "zh-CN": zhCheck } as const;

function stepOf(page: Page): string {
  return new URL(page.url()).pathname.replace(/^\/check\/?/, "");
}

/** Answers the page the browser shows as the persona would, and submits it. */
async function answer(page: Page, persona: CheckPersona, lng: Lng): Promise<void> {
  const step = stepOf(page);
  const fields = persona.pages[step];
  expect(fields, `the persona has an answer for ${step}`).toBeDefined();
  for (const [name, value] of Object.entries(fields)) {
    if (name === "dontKnow") continue;
    const radio = page.locator(`input[type="radio"][name="${name}"][value="${value}"]`);
    if ((await radio.count()) > 0) await radio.check();
    else await page.locator(`#${name}`).fill(value);
  }
  const button = fields.dontKnow
    ? page.getByRole("button", { name: TEXT[lng].dontKnow, exact: true })
    : page.locator('form button[type="submit"]:not([name])');
  await Promise.all([page.waitForNavigation(), button.click()]);
}

/** Walks the whole check, checking every page, and returns the question pages seen. */
async function walkToAnswers(page: Page, persona: CheckPersona, lng: Lng): Promise<string[]> {
  const seen: string[] = [];
  while (stepOf(page) !== "answers") {
    await checkCurrentPage(page, { lng });
    seen.push(stepOf(page));
    await answer(page, persona, lng);
    expect(seen.length).toBeLessThan(40);
  }
  return seen;
}

describe("the eligibility check without JavaScript", () => {
  for (const lng of ["zh-CN", "en"] as const) {
    const text = TEXT[lng];

    it(
      `walks a two-person household to the results and asks for a call back (${lng})`,
      async () => {
        const page = await newPage({ javaScriptEnabled: false });
        await checkPage(page, "/check", { lng });
        expect(await page.locator("h1").innerText()).toBe(text.start.title);
        await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: text.start.startButton }).click()]);
        expect(await page.evaluate("typeof window.__remixContext")).toBe("undefined");

        const seen = await walkToAnswers(page, mother_and_son, lng);
        expect(seen).toEqual(mother_and_son.expectedSteps);

        await checkCurrentPage(page, { lng });
        expect(await page.locator("h1").innerText()).toBe(text.answers.title);
        await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: text.answers.seeResults }).click()]);

        expect(new URL(page.url()).pathname).toBe("/check/results");
        await checkCurrentPage(page, { lng });
        expect(await page.locator("h1").innerText()).toBe(text.results.title);
        expect(await page.locator("section.result").count()).toBe(9);

        // A phone number that is not a mobile: 400 with the error on the field, still accessible
        await page.locator("#phone").fill("12345");
        const [refused] = await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: text.callback.button }).click()]);
        expect(refused?.status()).toBe(400);
        expect(await page.locator(".error-summary a").getAttribute("href")).toBe("#phone");
        expect(await page.locator("#phone").inputValue()).toBe("12345");
        await checkCurrentPage(page, { lng });

        await page.locator("#phone").fill("138 0013 8000");
        await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: text.callback.button }).click()]);
        expect(new URL(page.url()).hash).toBe("#callback");
        await checkCurrentPage(page, { lng });
        expect(await page.locator("#callback-title").innerText()).toBe(text.callback.doneTitle);
      },
      240_000,
    );

    it(
      `shows errors accessibly and keeps the answers through a reload (${lng})`,
      async () => {
        const page = await newPage({ javaScriptEnabled: false });
        await page.goto(`/check/who?lng=${lng}`);
        await answer(page, lone_elder, lng);
        await answer(page, lone_elder, lng); // household size

        // A bad age: 400, error summary linking to the field, Error: title
        await page.locator("#age").fill("八十二岁半");
        const [response] = await Promise.all([page.waitForNavigation(), page.locator('form button[type="submit"]').first().click()]);
        expect(response?.status()).toBe(400);
        expect(await page.title()).toMatch(lng === "en" ? /^Error: / : /^错误：/);
        expect(await page.locator(".error-summary a").getAttribute("href")).toBe("#age");
        expect(await page.locator(".error-summary").innerText()).toContain(text.errors.age.notWhole);
        expect(await page.locator("#age").getAttribute("aria-invalid")).toBe("true");
        await checkCurrentPage(page, { lng });

        // Reload the question: the household size answered before is still there
        await page.goto("/check/household-size");
        expect(await page.locator("#householdSize").inputValue()).toBe("1");
        // and the back link goes to the first question
        expect(await page.locator("a.back-link").getAttribute("href")).toBe("/check/who");

        // The start page now offers to continue
        await checkPage(page, "/check", { lng });
        expect(await page.getByRole("link", { name: text.start.continueButton }).getAttribute("href")).toBe("/check/person/1/age");
      },
      120_000,
    );
  }
});

describe("the eligibility check with JavaScript", () => {
  it("works the same with JavaScript on, without script errors", async () => {
    const { page, problems } = await open({ javaScriptEnabled: true });
    await page.goto("/check/who?lng=en");
    await answer(page, lone_elder, "en");
    await answer(page, lone_elder, "en");
    expect(stepOf(page)).toBe("person/1/age");
    await page.locator("#age").fill("abc");
    await Promise.all([page.waitForNavigation(), page.locator('form button[type="submit"]').click()]);
    // with script the error summary takes focus, so it is read out at once
    await expect.poll(() => page.evaluate("document.activeElement && document.activeElement.className")).toBe("error-summary");
    // Chromium logs the page's own 400 status (the GOV.UK error response) as a console error; nothing else may appear
    expect(problems.filter((p) => !p.includes("the server responded with a status of 400"))).toEqual([]);
  });
});
