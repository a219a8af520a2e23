// /track in Chromium, in both languages, with JavaScript off and on: a case
// made through the partner API, then the resident's way in — reference and
// mobile number, the 6-digit code read from the phone simulator (/dev/sms),
// a wrong code refused (400, error summary), the right one opening the case.
// On the case page a small PNG is sent and listed; an HTML file named x.pdf
// is refused with the plain message and the offer of a call back. Every page
// and error state passes the standard page checks (axe, 320 px, keyboard).
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page, Response } from "playwright-core";
import { idCheckCharacter } from "~/domain/identity";
import enCommon from "../../public/locales/en/common.json";
import enSms from "../../public/locales/en/sms.json";
import enTrack from "../../public/locales/en/track.json";
import zhCommon from "../../public/locales/zh-CN/common.json";
import zhSms from "../../public/locales/zh-CN/sms.json";
import zhTrack from "../../public/locales/zh-CN/track.json";
import { setupBrowser } from "../support/browser";
import { checkCurrentPage, checkPage, type Lng } from "../support/check-page";
import { pngParts } from "../unit/evidence/sample-files";

const { open } = setupBrowser();
const TEXT = {
  "zh-CN": { track: zhTrack, common: zhCommon },
  en: { track: enTrack, common: enCommon },
} as const;

const DEMO_PARTNER_TOKEN = "ll_demo_partner_token";
const ID_NUMBER = "11010519491231002" + idCheckCharacter("11010519491231002");
const SMS_WAIT_MS = 15_000;

// The texted code, in either language's wording (the text goes out in the case's language).
const CODE_PATTERNS = [enSms.trackingCode, zhSms.trackingCode].map(
  (template) =>
    new RegExp(
      template
        .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
        .replace("\\{\\{code\\}\\}", "(\\d{6})")
    )
);

// Files on disk for setInputFiles, as a person would pick them.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lifeline-track-e2e-"));
const PNG_PATH = path.join(tmp, "photo.png");
const FAKE_PDF_PATH = path.join(tmp, "x.pdf");
fs.writeFileSync(PNG_PATH, pngParts().file);
fs.writeFileSync(
  FAKE_PDF_PATH,
  "<!doctype html><html><head><title>x</title></head><body><p>Not a PDF</p></body></html>\n"
);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A mobile number no other test uses, so its inbox holds only this test's texts. */
function freshMobile(): string {
  return `139${String(crypto.randomInt(0, 100_000_000)).padStart(8, "0")}`;
}

async function createCase(
  page: Page,
  phone: string,
  lng: Lng
): Promise<string> {
  const reply = await page.request.post("/api/v1/applications", {
    headers: { Authorization: `Bearer ${DEMO_PARTNER_TOKEN}` },
    data: {
      applicant: { name: "王秀英", idNumber: ID_NUMBER, phone, language: lng },
      household: {
        members: [
          {
            relation: "self",
            age: 76,
            monthlyIncome: 300,
            disability: "none",
            canWork: false,
          },
        ],
        assets: { financial: 1000, vehicles: 0, properties: 1 },
      },
      programs: ["dibao", "medical"],
    },
  });
  expect(reply.status(), await reply.text()).toBe(201);
  const { reference } = (await reply.json()) as { reference: string };
  expect(reference).toMatch(/^LA-/);
  return reference;
}

/** Reloads the phone simulator's inbox (bounded) until the tracking code has arrived. */
async function readCode(inbox: Page, phone: string): Promise<string> {
  const deadline = Date.now() + SMS_WAIT_MS;
  for (;;) {
    await inbox.goto(`/dev/sms?phone=${encodeURIComponent(`+86${phone}`)}`);
    const texts = await inbox.locator(".sms-text p[lang]").allInnerTexts();
    for (const text of texts.reverse()) {
      for (const pattern of CODE_PATTERNS) {
        const match = pattern.exec(text);
        if (match) return match[1];
      }
    }
    if (Date.now() > deadline)
      throw new Error(
        `no tracking code reached the simulator within ${
          SMS_WAIT_MS / 1000
        } s; texts seen: ${JSON.stringify(texts)}`
      );
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/**
 * Submits a form and returns the status the server gave it: the document's
 * (JavaScript off) or the data request's (JavaScript on, where Remix fetches
 * and then navigates or re-renders in place). `landed` marks the page
 * after a redirect back to the same address.
 */
async function submit(
  page: Page,
  button: string,
  javaScriptEnabled: boolean,
  landed?: string
): Promise<number | undefined> {
  const url = page.url();
  if (!javaScriptEnabled) {
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.locator(button).click(),
    ]);
    return response?.status();
  }
  const [response]: [Response, void] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.locator(button).click(),
  ]);
  // A redirect (Remix answers the data request 204 + X-Remix-Redirect) is
  // followed by a client-side navigation; an error re-renders in place.
  if (response.status() >= 400) await page.locator(".error-summary").waitFor();
  else if (landed) await page.locator(landed).waitFor();
  else await page.waitForURL((u) => u.href !== url);
  return response.status();
}

/** Script errors other than the browser's note on an expected 4xx answer. */
function unexpected(problems: string[]): string[] {
  return problems.filter(
    (p) =>
      !/Failed to load resource: the server responded with a status of 4(00|13|15)/.test(
        p
      )
  );
}

describe.each(["zh-CN", "en"] as const)("/track (%s)", (lng: Lng) => {
  const { track, common } = TEXT[lng];

  it.each([false, true])(
    "JavaScript %s: code by text, the case page, a sent photo and a refused fake PDF",
    async (javaScriptEnabled) => {
      const { page, problems } = await open({ javaScriptEnabled, locale: lng });
      const inbox = (await open({ javaScriptEnabled: false, locale: lng }))
        .page;
      const phone = freshMobile();
      const reference = await createCase(page, phone, lng);

      // /track: reference and number.
      await checkPage(page, "/track", { lng });
      expect(await page.locator("h1").innerText()).toBe(track.start.title);
      await page.fill("#reference", reference.toLowerCase());
      await page.fill(
        "#phone",
        `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`
      );
      expect(
        await submit(page, 'main form button[type="submit"]', javaScriptEnabled)
      ).toBeLessThan(400);
      expect(new URL(page.url()).pathname).toBe("/track/code");
      await checkCurrentPage(page, { lng });
      expect(await page.locator("h1").innerText()).toBe(track.code.title);
      expect(await page.locator("#code").getAttribute("autocomplete")).toBe(
        "one-time-code"
      );
      const main = await page.locator("main").innerText();
      expect(main).toContain(`${phone.slice(0, 3)}****${phone.slice(7)}`);
      expect(await page.content()).not.toContain(phone);

      const code = await readCode(inbox, phone);

      // A wrong code: 400, "Error:" title, summary linked to the field, and it still passes the checks.
      const wrong = `${(Number(code[0]) + 1) % 10}${code.slice(1)}`;
      await page.fill("#code", wrong);
      expect(
        await submit(
          page,
          'main form:first-of-type button[type="submit"]',
          javaScriptEnabled
        )
      ).toBe(400);
      expect(new URL(page.url()).pathname).toBe("/track/code");
      await expect
        .poll(() => page.title())
        .toMatch(new RegExp(`^${common.errorPrefix.trim()}`));
      const link = page.locator('.error-summary a[href="#code"]');
      expect(await link.innerText()).toBe(
        track.code.errors.wrong.replace("{{count}}", "4")
      );
      expect(await page.locator("#code").getAttribute("aria-invalid")).toBe(
        "true"
      );
      if (javaScriptEnabled) {
        await expect
          .poll(() =>
            page.evaluate(
              "document.activeElement && document.activeElement.className"
            )
          )
          .toBe("error-summary");
      }
      await checkCurrentPage(page, { lng });

      // The right code, pasted with a space, opens the case.
      await page.fill("#code", `${code.slice(0, 3)} ${code.slice(3)}`);
      expect(
        await submit(
          page,
          'main form:first-of-type button[type="submit"]',
          javaScriptEnabled
        )
      ).toBeLessThan(400);
      expect(new URL(page.url()).pathname).toBe("/track/case");
      await checkCurrentPage(page, { lng });
      expect(await page.locator("h1").innerText()).toBe(track.case.title);
      expect(await page.locator("main").innerText()).toContain(reference);
      expect(await page.locator(".track-evidence li").count()).toBe(0);

      // A small PNG is sent and listed.
      const uploadButton =
        'section[aria-labelledby="upload-heading"] form:first-of-type button[type="submit"]';
      await page.setInputFiles("#file", PNG_PATH);
      expect(
        await submit(
          page,
          uploadButton,
          javaScriptEnabled,
          "p.notice[role=status]"
        )
      ).toBeLessThan(400);
      await page.locator(".track-evidence li").first().waitFor();
      expect(await page.locator(".track-evidence li").count()).toBe(1);
      expect(await page.locator("p.notice[role=status]").innerText()).toBe(
        track.case.notice.uploaded
      );

      // HTML named x.pdf: refused in plain words, with a call back offered; nothing more listed.
      await page.setInputFiles("#file", FAKE_PDF_PATH);
      expect(await submit(page, uploadButton, javaScriptEnabled)).toBe(415);
      expect(
        await page.locator('.error-summary a[href="#file"]').innerText()
      ).toBe(track.case.uploadErrors.unsupported);
      expect(await page.locator("#file-error").innerText()).toContain(
        track.case.uploadErrors.unsupported
      );
      expect(await page.locator("#file").getAttribute("aria-invalid")).toBe(
        "true"
      );
      expect(await page.locator(".track-upload-help").innerText()).toContain(
        track.case.uploadFailedHelp
      );
      expect(
        await page
          .locator('button[name="intent"][value="uploadCallback"]')
          .innerText()
      ).toBe(track.case.uploadFailedCallback);
      expect(await page.locator(".track-evidence li").count()).toBe(1);
      // The keyboard walk of this page ran above; axe and 320 px again for the error state.
      await checkCurrentPage(page, { lng, keyboard: false });

      expect(unexpected(problems)).toEqual([]);
    }
  );
});
