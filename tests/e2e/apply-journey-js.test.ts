// The application journey in Chromium with JavaScript on (hydrated pages), in
// both languages: the same way as apply-journey.test.ts (JavaScript off) from
// a finished check, through every task page, a bad ID number whose error
// summary takes focus, real file uploads, to the confirmation with a
// reference. Each page passes the standard page checks, and the browser
// reports no script error beyond its note on the expected 400 answer.
import type { Page } from "playwright-core";
import { idCheckCharacter } from "~/domain/identity";
import enApply from "../../public/locales/en/apply.json";
import enCommon from "../../public/locales/en/common.json";
import zhApply from "../../public/locales/zh-CN/apply.json";
import zhCommon from "../../public/locales/zh-CN/common.json";
import { lone_elder } from "../fixtures/check-personas";
import { setupBrowser } from "../support/browser";
import { checkCurrentPage, checkPage, type Lng } from "../support/check-page";
import { pdfFile } from "../unit/evidence/sample-files";

const { open } = setupBrowser();
const TEXT = {
  "zh-CN": { apply: zhApply, common: zhCommon },
  en: { apply: enApply, common: enCommon },
} as const;
const ID = "11010519491231002" + idCheckCharacter("11010519491231002");

async function finishCheck(page: Page) {
  for (const [step, fields] of Object.entries(lone_elder.pages)) {
    const reply = await page.request.post(`/check/${step}`, {
      form: fields,
      maxRedirects: 0,
    });
    expect(reply.status(), `check step ${step}`).toBe(302);
  }
}

/**
 * Clicks the form's submit button and waits until the page shows `path`,
 * whether Remix navigates in the browser or a plain form loads a new document.
 */
async function submitTo(
  page: Page,
  path: string | RegExp,
  form: string = "main form"
) {
  const matches = (url: URL) =>
    typeof path === "string" ? url.pathname === path : path.test(url.pathname);
  const arrived = page.waitForURL(matches, { timeout: 15_000 }).then(
    () => null,
    async (error: unknown) => {
      const summary = await page.locator(".error-summary").allInnerTexts();
      return new Error(
        `did not reach ${String(
          path
        )} from ${page.url()}; error summary: ${JSON.stringify(summary)}`,
        { cause: error }
      );
    }
  );
  await page.locator(`${form} button[type="submit"]`).last().click();
  const failure = await arrived;
  if (failure) throw failure;
  await page.waitForLoadState("load");
}

/** Console errors other than the browser's note on the expected 400 answer. */
function unexpected(problems: string[]): string[] {
  return problems.filter(
    (p) =>
      !/Failed to load resource: the server responded with a status of 400/.test(
        p
      )
  );
}

describe.each(["zh-CN", "en"] as const)(
  "applying with JavaScript (%s)",
  (lng: Lng) => {
    const { apply: t, common } = TEXT[lng];

    it("goes from the task list to the confirmation, every page accessible and hydrated", async () => {
      const { page, problems } = await open({
        javaScriptEnabled: true,
        locale: lng,
      });
      await checkPage(page, "/apply", { lng });
      expect(await page.locator("h1").innerText()).toBe(t.index.title);
      await finishCheck(page);

      await page.goto("/apply/who");
      await checkCurrentPage(page, { lng });
      await page.locator("#forWhom").check();
      await submitTo(page, "/apply/details");
      await checkCurrentPage(page, { lng });

      // A bad ID number: the error summary appears in place and takes focus; what was typed stays.
      await page.fill("#applicantName", "王秀英");
      await page.fill(
        "#applicantIdNumber",
        ID.slice(0, 17) + (ID[17] === "1" ? "2" : "1")
      );
      await page.fill("#applicantPhone", "138 0013 8000");
      await page.locator("#district").check();
      await page.locator("#callMe").check();
      const [bad] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.locator('main form button[type="submit"]').last().click(),
      ]);
      expect(bad.status()).toBe(400);
      await page.locator(".error-summary").waitFor();
      await expect
        .poll(() =>
          page.evaluate(
            "document.activeElement && document.activeElement.className"
          )
        )
        .toBe("error-summary");
      await expect
        .poll(() => page.title())
        .toMatch(new RegExp(`^${common.errorPrefix.trim()}`));
      expect(new URL(page.url()).pathname).toBe("/apply/details");
      expect(
        await page
          .locator('.error-summary a[href="#applicantIdNumber"]')
          .count()
      ).toBe(1);
      expect(
        await page.locator("#applicantIdNumber").getAttribute("aria-invalid")
      ).toBe("true");
      expect(await page.inputValue("#applicantName")).toBe("王秀英");
      expect(await page.inputValue("#applicantPhone")).toBe("138 0013 8000");
      expect(await page.isChecked("#callMe")).toBe(true);
      await checkCurrentPage(page, { lng });
      // Following the summary link moves focus to the field and keeps the
      // errors and every answer (a #fragment navigation would drop them).
      await page.locator('.error-summary a[href="#applicantIdNumber"]').click();
      await expect.poll(() => page.evaluate("document.activeElement && document.activeElement.id")).toBe("applicantIdNumber");
      expect(await page.locator(".error-summary").count()).toBe(1);
      expect(await page.isChecked("#callMe")).toBe(true);
      expect(new URL(page.url()).hash).toBe("");
      await page.fill("#applicantIdNumber", ID);
      await submitTo(page, "/apply/household");

      await checkCurrentPage(page, { lng });
      await submitTo(page, "/apply/programmes");
      await checkCurrentPage(page, { lng });
      await submitTo(page, "/apply/documents");
      await checkCurrentPage(page, { lng, keyboard: false });

      for (const type of ["id_card", "household_register", "income_proof"]) {
        await page.setInputFiles(`#file-${type}`, {
          name: `${type}.pdf`,
          mimeType: "application/pdf",
          buffer: Buffer.from(pdfFile()),
        });
        await Promise.all([
          page.waitForNavigation(),
          page.locator(`#doc-${type} form button[type="submit"]`).click(),
        ]);
        await page.locator(`#doc-${type} .file-list li`).first().waitFor();
        expect(await page.locator(`#doc-${type} .file-list li`).count()).toBe(
          1
        );
      }
      await checkCurrentPage(page, { lng, keyboard: false });
      await submitTo(page, "/apply/answers", "main > form");
      await checkCurrentPage(page, { lng });

      await Promise.all([
        page.waitForURL((url) => url.pathname === "/apply/declaration"),
        page.locator("main a.button").click(),
      ]);
      await checkCurrentPage(page, { lng });
      await page.locator("#declare").check();
      await submitTo(page, /^\/apply\/done\/LA-/);
      await checkCurrentPage(page, { lng });
      expect(await page.locator("h1").innerText()).toBe(t.done.title);
      expect(await page.locator(".reference").innerText()).toMatch(/^LA-/);

      expect(unexpected(problems)).toEqual([]);
    });
  }
);
