// The /track pages as HTML, in both languages: the code field's attributes,
// the error summary and "Error:" title, the upload form, and no untranslated key.
import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import TrackStart, { action as startAction, loader as startLoader } from "~/routes/track._index";
import TrackCase from "~/routes/track.case";
import TrackCode from "~/routes/track.code";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { renderRoute } from "../callback/render";
import { APPLICANT_PHONE, Browser, createCase } from "./helpers";

type Lng = "zh-CN" | "en";
const LANGUAGES: Lng[] = ["zh-CN", "en"];

function tagWithId(html: string, tag: string, id: string): string {
  const found = [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>`, "g"))].map((m) => m[0]).find((t) => t.includes(` id="${id}"`));
  if (!found) throw new Error(`no <${tag}> #${id}`);
  return found;
}

/** Text a person would read that still looks like a locale key. */
function untranslated(html: string): string[] {
  const text = html.replace(/<[^>]+>/g, " ");
  return text.match(/\b(case|track|common|start|code)[.:][a-zA-Z_.]+\b/g) ?? [];
}

describe.each(LANGUAGES)("in %s", (lng) => {
  const t = fixedT(lng, "track");

  it("the code page has a one-time-code numeric field and a resend button", () => {
    const html = renderRoute(TrackCode, { path: "/track/code", url: `/track/code?lng=${lng}`, lng, loaderData: { reference: "LA-7K4M-Q9XA", phone: "138****8000", pageTitle: "" } });
    const input = tagWithId(html, "input", "code").toLowerCase();
    expect(input).toContain('autocomplete="one-time-code"');
    expect(input).toContain('inputmode="numeric"');
    expect(input).not.toContain("maxlength");
    expect(html).toContain(t("code.resend"));
    expect(html).toContain("138****8000");
    expect(untranslated(html)).toEqual([]);
  });

  it("a bad reference answers 400 with an error summary linking to the field and an Error: title", async () => {
    const context: AppLoadContext = {};
    const request = new Request(`http://localhost/track?lng=${lng}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ reference: "nonsense", phone: "" }),
    });
    const response = (await startAction({ request, params: {}, context })) as Response;
    expect(response.status).toBe(400);
    const actionData = await response.json();
    const loadedResponse = (await startLoader({ request: new Request(`http://localhost/track?lng=${lng}`), params: {}, context })) as Response;
    const loaded = (await loadedResponse.json()) as { pageTitle: string };
    expect(loaded.pageTitle.startsWith(fixedT(lng, "common")("errorPrefix"))).toBe(true);
    const html = renderRoute(TrackStart, { path: "/track", url: `/track?lng=${lng}`, lng, loaderData: loaded, actionData });
    expect(html).toContain('href="#reference"');
    expect(html).toContain(t("start.errors.reference.invalid"));
    expect(tagWithId(html, "input", "reference")).toContain('aria-invalid="true"');
  });

  it("the case page shows the status in plain words, the upload form and the sign-in time", async () => {
    await db.oneTimeCode.deleteMany();
    const { reference } = await createCase();
    const browser = new Browser(`203.0.113.${lng === "en" ? 1 : 2}`, lng);
    await browser.signIn(reference, APPLICANT_PHONE);
    const page = await browser.casePage();
    const html = renderRoute(TrackCase, { path: "/track/case", url: `/track/case?lng=${lng}`, lng, loaderData: page.data });
    const c = fixedT(lng, "case");
    expect(html).toContain(c("status.submitted.title"));
    expect(html).toContain(c("status.submitted.next"));
    expect(html).toContain(c("evidence.id_card.name"));
    expect(html.toLowerCase()).toContain('enctype="multipart/form-data"');
    const file = tagWithId(html, "input", "file");
    expect(file).toContain('accept="image/jpeg,image/png');
    expect(file).toContain("application/pdf");
    expect(html).toContain(t("case.moreTime"));
    expect(html).toContain(t("case.proxyRevoke"));
    expect(html).toContain("139****9000");
    expect(html).not.toContain("13900139000");
    expect(html).not.toContain("13800138000");
    expect(untranslated(html)).toEqual([]);
    if (lng === "zh-CN") expect(html).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
  });

  it("a refused upload shows the plain message and the call-back offer, never a status number", () => {
    const data = {
      reference: "LA-7K4M-Q9XA", status: "needs_information", role: "proxy", submittedAt: "", applicantIdNumber: "110***********0021", applicantPhone: "138****8000",
      proxy: null, evidence: [], timeline: [], missing: [{ type: "id_card", reason: "checklist.reason.idCard" }], canWithdraw: true, canUpload: true,
      signedInUntil: "10:30", signedInPhone: "138****8000", notice: null, pageTitle: "",
    };
    const actionData = { errors: { file: t("case.uploadErrors.tooLarge") }, uploadFailed: true };
    const html = renderRoute(TrackCase, { path: "/track/case", url: `/track/case?lng=${lng}`, lng, loaderData: data, actionData });
    expect(html).toContain('href="#file"');
    expect(html).toContain(t("case.uploadFailedCallback"));
    expect(html).not.toMatch(/\b413\b/);
    // A proxy is never offered to stop themself.
    expect(html).not.toContain(t("case.proxyRevoke"));
  });
});
