// Signing in to /track: reference + phone → a texted code → the case page.
// Codes are single use, die after 5 wrong tries or 10 minutes, are rate
// limited per phone and per IP, and the answer to a send never tells whether
// the reference and phone belong together.
import { beforeEach, describe, expect, it } from "vitest";
import { CODE_LIFETIME_MS, purgeTrackingCodes, sendTrackingCode, verifyTrackingCode } from "~/models/one-time-code.server";
import { loader as codeLoader } from "~/routes/track.code";
import { loader as startLoader } from "~/routes/track._index";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { APPLICANT_PHONE, Browser, createCase, lastCodeTo, PROXY_PHONE, textsTo } from "./helpers";

const t = fixedT("en", "track");

beforeEach(async () => {
  await db.oneTimeCode.deleteMany();
});

describe("the full flow", () => {
  it("texts a 6-digit code, takes it, and shows the case status in plain words", async () => {
    const { reference } = await createCase();
    const browser = new Browser();
    const before = await textsTo(APPLICANT_PHONE);
    const sent = await browser.sendCode(reference.toLowerCase().replace(/-/g, " "), "138 0013 8000");
    expect(sent).toMatchObject({ status: 303, location: "/track/code" });
    expect(await textsTo(APPLICANT_PHONE)).toBe(before + 1);
    const code = await lastCodeTo(APPLICANT_PHONE);
    expect(code).toMatch(/^\d{6}$/);

    const codePage = await browser.get(codeLoader, "/track/code");
    expect(codePage.status).toBe(200);
    expect(codePage.data).toMatchObject({ reference, phone: "138****8000" });

    // Pasted with a space in the middle, as some phones copy it.
    const entered = await browser.enterCode(`${code!.slice(0, 3)} ${code!.slice(3)}`);
    expect(entered).toMatchObject({ status: 303, location: "/track/case" });
    const page = await browser.casePage();
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ reference, status: "submitted", role: "applicant", applicantIdNumber: expect.stringMatching(/^\d{3}\*+\d{3}[\dX]$/) });
    expect(page.headers.get("Cache-Control")).toContain("no-store");
  });

  it("stores only a hash of the code, never the phone in the clear", async () => {
    const { reference } = await createCase();
    await new Browser().sendCode(reference, APPLICANT_PHONE);
    const code = (await lastCodeTo(APPLICANT_PHONE))!;
    const rows = await db.oneTimeCode.findMany({ where: { purpose: "track" } });
    expect(rows).toHaveLength(1);
    expect(rows[0].codeHash).not.toContain(code);
    expect(rows[0].codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].phone).not.toContain("13800138000");
    expect(rows[0].expiresAt.getTime() - rows[0].createdAt.getTime()).toBe(CODE_LIFETIME_MS);
  });

  it("asks for the code page only after a code was asked for", async () => {
    const answer = await new Browser().get(codeLoader, "/track/code");
    expect(answer).toMatchObject({ status: 303, location: "/track" });
  });

  it("sends the case page back to /track without a sign-in", async () => {
    const answer = await new Browser().casePage();
    expect(answer).toMatchObject({ status: 303, location: "/track" });
  });
});

describe("bad input", () => {
  it("answers 400 with specific messages for a blank or malformed reference and phone", async () => {
    const browser = new Browser();
    const blank = await browser.sendCode("", "138");
    expect(blank.status).toBe(400);
    expect(blank.data?.errors).toEqual({ reference: t("start.errors.reference.required") });
    const badCheck = await browser.sendCode("LA-7K4M-Q9XB", APPLICANT_PHONE);
    expect(badCheck.data?.errors).toEqual({ reference: t("start.errors.reference.invalid") });
    const { reference } = await createCase();
    const badPhone = await browser.sendCode(reference, "010 1234 5678");
    expect(badPhone.status).toBe(400);
    expect(badPhone.data?.errors).toEqual({ phone: t("start.errors.phone.invalid") });
    expect(await db.oneTimeCode.count()).toBe(0);
  });

  it("answers 400 to a code that is not 6 digits, without using up a try", async () => {
    const { reference } = await createCase();
    const browser = new Browser();
    await browser.sendCode(reference, APPLICANT_PHONE);
    const answer = await browser.enterCode("12ab");
    expect(answer.status).toBe(400);
    expect(answer.data?.errors).toEqual({ code: t("code.errors.format") });
    expect((await db.oneTimeCode.findFirstOrThrow({ where: { purpose: "track" } })).attempts).toBe(0);
  });
});

describe("no enumeration", () => {
  it("answers an unknown reference, or a phone not on the case, exactly like a match, and texts nothing", async () => {
    const { reference } = await createCase();
    const other = await createCase({ applicantPhone: "13700137000", proxyPhone: null });
    await db.application.delete({ where: { id: other.id } });
    const stranger = "13600136000";

    const match = await new Browser("198.51.100.1").sendCode(reference, APPLICANT_PHONE);
    const textsBefore = await db.outboxMessage.count();
    const wrongPhone = await new Browser("198.51.100.2").sendCode(reference, stranger);
    const unknownReference = await new Browser("198.51.100.3").sendCode(other.reference, "13700137000");
    expect(await db.outboxMessage.count()).toBe(textsBefore);

    for (const answer of [wrongPhone, unknownReference]) {
      expect(answer.status).toBe(match.status);
      expect(answer.location).toBe(match.location);
      expect(answer.data).toEqual(match.data);
    }
  });

  it("answers wrong codes the same way for a pair that does not match", async () => {
    const { reference } = await createCase();
    const stranger = new Browser("198.51.100.9");
    await stranger.sendCode(reference, "13600136000");
    const first = await stranger.enterCode("000000");
    expect(first.status).toBe(400);
    expect(first.data?.errors).toEqual({ code: t("code.errors.wrong", { count: 4 }) });
  });
});

describe("single use, tries and expiry", () => {
  it("refuses a code used once already", async () => {
    const { reference } = await createCase();
    const browser = new Browser();
    await browser.sendCode(reference, APPLICANT_PHONE);
    const code = (await lastCodeTo(APPLICANT_PHONE))!;
    expect((await browser.enterCode(code)).location).toBe("/track/case");
    // Someone who saw the text tries the same code again.
    const reused = await verifyTrackingCode(db, { reference, phone: APPLICANT_PHONE, code });
    expect(reused).toEqual({ ok: false, error: "noCode" });
  });

  it("kills the code after 5 wrong tries: the right code no longer works", async () => {
    const { reference } = await createCase();
    const browser = new Browser();
    await browser.sendCode(reference, APPLICANT_PHONE);
    const code = (await lastCodeTo(APPLICANT_PHONE))!;
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 1; i <= 4; i++) {
      const answer = await browser.enterCode(wrong);
      expect(answer.data?.errors).toEqual({ code: t("code.errors.wrong", { count: 5 - i }) });
    }
    const fifth = await browser.enterCode(wrong);
    expect(fifth.data?.errors).toEqual({ code: t("code.errors.tooManyTries") });
    const right = await browser.enterCode(code);
    expect(right.status).toBe(400);
    expect(right.data?.errors).toEqual({ code: t("code.errors.noCode") });
    expect((await browser.casePage()).location).toBe("/track");
  });

  it("refuses an expired code with its own message", async () => {
    const { reference } = await createCase();
    const browser = new Browser();
    await browser.sendCode(reference, APPLICANT_PHONE);
    const code = (await lastCodeTo(APPLICANT_PHONE))!;
    await db.oneTimeCode.updateMany({ where: { purpose: "track" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const answer = await browser.enterCode(code);
    expect(answer.status).toBe(400);
    expect(answer.data?.errors).toEqual({ code: t("code.errors.expired") });
  });

  it("lets a code work until its 10 minutes are over (model, with a clock)", async () => {
    const { reference } = await createCase();
    const sentAt = new Date("2026-11-28T08:00:00Z");
    await sendTrackingCode(db, { reference, phone: APPLICANT_PHONE, ip: null }, sentAt);
    const code = (await lastCodeTo(APPLICANT_PHONE))!;
    const late = await verifyTrackingCode(db, { reference, phone: APPLICANT_PHONE, code }, new Date(sentAt.getTime() + CODE_LIFETIME_MS));
    expect(late).toEqual({ ok: false, error: "expired" });
    const inTime = await verifyTrackingCode(db, { reference, phone: APPLICANT_PHONE, code }, new Date(sentAt.getTime() + CODE_LIFETIME_MS - 1));
    expect(inTime).toMatchObject({ ok: true, role: "applicant" });
  });

  it("makes only the newest code work after a resend", async () => {
    const { reference } = await createCase();
    const browser = new Browser();
    await browser.sendCode(reference, APPLICANT_PHONE);
    const first = (await lastCodeTo(APPLICANT_PHONE))!;
    const resent = await browser.post((await import("~/routes/track.code")).action, "/track/code", { intent: "resend" });
    expect(resent.status).toBe(200);
    expect(resent.data).toMatchObject({ resent: true });
    const second = (await lastCodeTo(APPLICANT_PHONE))!;
    if (first !== second) {
      const old = await browser.enterCode(first);
      expect(old.status).toBe(400);
    }
    expect((await browser.enterCode(second)).location).toBe("/track/case");
  });
});

describe("rate limits", () => {
  it("answers 429 with a plain message after 3 codes to one phone in 15 minutes, whether or not it matches", async () => {
    const { reference } = await createCase();
    for (const phone of [APPLICANT_PHONE, "13600136000"]) {
      const answers = [];
      // A new IP each time: this is the per-phone limit.
      for (let i = 0; i < 4; i++) answers.push(await new Browser(`192.0.2.${i + (phone === APPLICANT_PHONE ? 10 : 20)}`).sendCode(reference, phone));
      expect(answers.slice(0, 3).map((a) => a.status)).toEqual([303, 303, 303]);
      expect(answers[3].status).toBe(429);
      expect(answers[3].data).toMatchObject({ rateLimited: true });
    }
    expect(await db.oneTimeCode.count({ where: { purpose: "track" } })).toBe(6);
  });

  it("allows 10 codes a day to one phone", async () => {
    const { reference } = await createCase();
    const start = Date.parse("2026-11-28T00:00:00Z");
    const results = [];
    for (let i = 0; i < 11; i++) results.push((await sendTrackingCode(db, { reference, phone: APPLICANT_PHONE, ip: null }, new Date(start + i * 16 * 60_000))).ok);
    expect(results.slice(0, 10).every(Boolean)).toBe(true);
    expect(results[10]).toBe(false);
  });

  it("limits one IP asking for many phones", async () => {
    const { reference } = await createCase();
    const browser = new Browser("192.0.2.99");
    const statuses = [];
    for (let i = 0; i < 21; i++) statuses.push((await browser.sendCode(reference, `1350013${String(i).padStart(4, "0")}`)).status);
    expect(statuses.slice(0, 20).every((s) => s === 303)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it("shows the start page's expiry notice after a sign-in ran out", async () => {
    const response = (await startLoader({ request: new Request("http://localhost/track?expired=1&lng=en"), params: {}, context: {} })) as Response;
    expect(await response.json()).toMatchObject({ expired: true });
  });
});

describe("housekeeping", () => {
  it("purges tracking rows older than a day and keeps the rest and other purposes", async () => {
    const { reference } = await createCase();
    const old = new Date("2026-11-01T08:00:00Z");
    await sendTrackingCode(db, { reference, phone: APPLICANT_PHONE, ip: "192.0.2.1" }, old);
    await sendTrackingCode(db, { reference, phone: APPLICANT_PHONE, ip: "192.0.2.1" }, new Date(old.getTime() + 23 * 60 * 60_000));
    await db.oneTimeCode.create({ data: { purpose: "proxy_consent", phone: "+8613800138000", codeHash: "x", expiresAt: old, createdAt: old } });
    expect(await purgeTrackingCodes(db, new Date(old.getTime() + 24 * 60 * 60_000 + 1))).toBe(2);
    expect(await db.oneTimeCode.count({ where: { purpose: { in: ["track", "track_ip"] } } })).toBe(2);
    expect(await db.oneTimeCode.count({ where: { purpose: "proxy_consent" } })).toBe(1);
  });
});

describe("the proxy", () => {
  it("signs in with their own phone and sees the case as the proxy", async () => {
    const { reference } = await createCase();
    const proxy = new Browser();
    expect((await proxy.signIn(reference, PROXY_PHONE)).location).toBe("/track/case");
    const page = await proxy.casePage();
    expect(page.data).toMatchObject({ reference, role: "proxy" });
  });
});
