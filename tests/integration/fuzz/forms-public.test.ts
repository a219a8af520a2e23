// Fuzzes every public page's form action (check, apply, call-back, chat,
// track, notice, phone simulator) with hostile bodies, each sent both without
// cookies and as someone part-way through that journey (a check draft, an
// application draft at that page, a signed-in tracked case), so the fuzz
// reaches past the first redirect. Property (tests/support/fuzz-routes.ts):
// 2xx, 3xx or the route's own 4xx, never a 5xx or a thrown error, no stack
// trace; afterwards the database answers and a known-good form still works.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as healthz } from "~/routes/healthz";
import * as applyConsent from "~/routes/apply.consent";
import * as applyDeclaration from "~/routes/apply.declaration";
import * as applyDetails from "~/routes/apply.details";
import * as applyDocuments from "~/routes/apply.documents";
import * as applyHousehold from "~/routes/apply.household";
import * as applyIndex from "~/routes/apply._index";
import * as applyInvite from "~/routes/apply.invite.$token";
import * as applyProgrammes from "~/routes/apply.programmes";
import * as applySave from "~/routes/apply.save";
import * as applyWho from "~/routes/apply.who";
import * as callbackPage from "~/routes/callback";
import * as chatPage from "~/routes/chat";
import * as chatSend from "~/routes/chat_.send";
import * as checkStep from "~/routes/check.$";
import * as checkIndex from "~/routes/check._index";
import * as checkResults from "~/routes/check.results";
import * as devSms from "~/routes/dev.sms";
import * as noticeObjection from "~/routes/notice.$id.objection";
import * as trackCase from "~/routes/track.case";
import * as trackCode from "~/routes/track.code";
import * as trackFollowUp from "~/routes/track.follow-up";
import * as trackIndex from "~/routes/track._index";
import * as trackWithdraw from "~/routes/track.withdraw";
import { db } from "~/services/db.server";
import { lone_elder } from "../../fixtures/check-personas";
import { pdfFile } from "../../unit/evidence/sample-files";
import { APPLICANT_ID, makeTemporaryUploadDir } from "../applications/helpers";
import { ApplyClient } from "../apply/client";
import { Browser, createCase } from "../track/helpers";
import { wellFormed } from "../../support/fuzz-inputs";
import {
  checkAnswer,
  formRequest,
  formTarget,
  fuzzFormTarget,
  runHandler,
  type FormTarget,
  type Handler,
  type Sender,
} from "../../support/fuzz-routes";

makeTemporaryUploadDir();

const NONE: readonly [string, () => Sender] = ["no cookies", () => ({})];

function cookieOf(client: ApplyClient): Sender {
  return {
    cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
  };
}

/** Application drafts, each made once and only when a target first needs it. */
function stage(
  make: (client: ApplyClient) => Promise<void>
): () => Promise<Sender> {
  let made: Promise<Sender> | null = null;
  return () =>
    (made ??= (async () => {
      const client = new ApplyClient();
      await make(client);
      return cookieOf(client);
    })());
}

const checkDone = stage((c) => c.finishCheck(lone_elder));
async function who(c: ApplyClient, onBehalf = false) {
  await c.finishCheck(lone_elder);
  await c.post(
    "/apply/who",
    onBehalf
      ? { forWhom: "other", relationship: "child", consentMethod: "sms" }
      : { forWhom: "self" }
  );
}
const afterWho = stage((c) => who(c));
async function details(c: ApplyClient) {
  await who(c);
  await c.post("/apply/details", {
    applicantName: "王秀英",
    applicantIdNumber: APPLICANT_ID,
    applicantPhone: "13800138000",
    district: "dongcheng",
    callMe: "yes",
  });
}
const afterDetails = stage(details);
const onBehalfAtConsent = stage(async (c) => {
  await who(c, true);
  await c.post("/apply/details", {
    applicantName: "王秀英",
    applicantIdNumber: APPLICANT_ID,
    applicantPhone: "13600136000",
    helperName: "李娜",
    helperPhone: "13500135000",
    district: "haidian",
    callMe: "yes",
  });
  await c.post("/apply/consent", { intent: "send" });
});
async function household(c: ApplyClient) {
  await details(c);
  await c.post("/apply/household");
}
const afterHousehold = stage(household);
async function programmes(c: ApplyClient) {
  await household(c);
  await c.post("/apply/programmes", { programs: ["dibao"] });
}
const afterProgrammes = stage(programmes);
const readyToDeclare = stage(async (c) => {
  await programmes(c);
  for (const type of ["id_card", "household_register", "income_proof"])
    await c.upload(type, pdfFile(), `${type}.pdf`, "application/pdf");
  await c.post("/apply/documents", { intent: "done" });
});

/** A tracked case and a browser signed in to it (the tracking cookie), made once. */
let tracked: Promise<{ reference: string; browser: Browser }> | null = null;
function trackedCase() {
  return (tracked ??= (async () => {
    const made = await createCase();
    const browser = new Browser("198.51.100.20");
    await browser.signIn(made.reference, "13800138000");
    return { reference: made.reference, browser };
  })());
}
const signedIn = async (): Promise<Sender> => ({
  cookie: (await trackedCase()).browser.cookie,
});
const codePending = async (): Promise<Sender> => {
  const { reference } = await trackedCase();
  const browser = new Browser("198.51.100.21");
  await browser.sendCode(reference, "13800138000");
  return { cookie: browser.cookie };
};

let noticeId = "";
async function caseOnNotice(): Promise<string> {
  if (noticeId) return noticeId;
  const made = await createCase({
    applicantPhone: "13700137000",
    proxyPhone: null,
  });
  await db.application.update({
    where: { id: made.id },
    data: {
      status: "public_notice",
      noticeEndsAt: new Date(Date.now() + 7 * 24 * 3600_000),
    },
  });
  noticeId = made.id;
  return noticeId;
}

const STEPS = Object.keys(lone_elder.pages);
const STEP_FIELDS = [
  ...new Set(
    Object.values(lone_elder.pages).flatMap((page) => Object.keys(page))
  ),
];
const STEP_VALUES = [
  ...new Set(
    Object.values(lone_elder.pages).flatMap((page) => Object.values(page))
  ),
];
const hostileParam = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    "person/999/age",
    "person/0/age",
    "person/-1/income",
    "../answers",
    "%2e%2e",
    "person/1/age/x",
    ""
  )
);

const RUNS = 25;

const TARGETS: FormTarget[] = [
  formTarget("check._index.tsx", {
    handler: checkIndex.action as Handler,
    url: () => "/check",
    fields: ["intent"],
    values: ["restart"],
    senders: [NONE, ["a finished check", checkDone]],
    allowed: [400],
    numRuns: RUNS,
  }),
  formTarget("check.$.tsx", {
    handler: checkStep.action as Handler,
    url: (p) => `/check/${p["*"]}`,
    params: fc
      .oneof(
        { arbitrary: fc.constantFrom(...STEPS), weight: 4 },
        { arbitrary: hostileParam, weight: 1 }
      )
      .map((step) => ({ "*": wellFormed(step) })),
    fields: STEP_FIELDS,
    values: STEP_VALUES,
    senders: [NONE, ["a finished check", checkDone]],
    allowed: [400, 404],
    numRuns: RUNS * 3,
  }),
  formTarget("check.results.tsx", {
    handler: checkResults.action as Handler,
    url: () => "/check/results",
    fields: ["phone", "callbackPhone"],
    values: ["13800138000", "138 0013 8000"],
    senders: [NONE, ["a finished check", checkDone]],
    allowed: [400, 429],
    numRuns: RUNS,
  }),
  formTarget("callback.tsx", {
    handler: callbackPage.action as Handler,
    url: () => "/callback",
    fields: [
      "phone",
      "name",
      "language",
      "bestTime",
      "urgent",
      "oldestAge",
      "reason",
    ],
    values: [
      "13800138000",
      "zh-CN",
      "en",
      "yes",
      "morning",
      "afternoon",
      "any",
      "80",
      "王秀英",
    ],
    senders: [NONE, ["a finished check", checkDone]],
    allowed: [400, 429],
    numRuns: RUNS * 2,
  }),
  formTarget("chat.tsx", {
    handler: chatPage.action as Handler,
    url: () => "/chat",
    fields: ["text", "message", "quick"],
    values: ["1", "0", "人工", "HELP", "STOP", "EN", "中文", "你好"],
    senders: [
      NONE,
      [
        "a cross-site post",
        () => ({ headers: { "Sec-Fetch-Site": "cross-site" } }),
      ],
      [
        "a bad chat cookie",
        () => ({ cookie: "chat_visitor=%%%garbage; lng=xx" }),
      ],
    ],
    allowed: [400, 403, 429],
    numRuns: RUNS,
  }),
  formTarget("chat_.send.ts", {
    handler: chatSend.action as Handler,
    url: () => "/chat/send",
    fields: ["text", "message", "quick"],
    values: ["1", "2", "0", "STOP", "START"],
    senders: [
      NONE,
      [
        "a cross-site post",
        () => ({ headers: { "Sec-Fetch-Site": "cross-site" } }),
      ],
    ],
    allowed: [400, 403, 405, 429],
    numRuns: RUNS,
  }),
  formTarget("apply._index.tsx", {
    handler: applyIndex.action as Handler,
    url: () => "/apply",
    fields: ["intent"],
    values: ["restart", "new"],
    senders: [NONE, ["a draft", afterWho]],
    allowed: [400],
    numRuns: RUNS,
  }),
  formTarget("apply.who.tsx", {
    handler: applyWho.action as Handler,
    url: () => "/apply/who",
    fields: ["forWhom", "relationship", "consentMethod"],
    values: ["self", "other", "child", "social_worker", "sms", "document"],
    senders: [NONE, ["a finished check", checkDone], ["a draft", afterWho]],
    allowed: [400],
    numRuns: RUNS * 2,
  }),
  formTarget("apply.details.tsx", {
    handler: applyDetails.action as Handler,
    url: () => "/apply/details",
    fields: [
      "applicantName",
      "applicantIdNumber",
      "applicantPhone",
      "district",
      "callMe",
      "helperName",
      "helperPhone",
    ],
    values: [
      "王秀英",
      APPLICANT_ID,
      "13800138000",
      "dongcheng",
      "haidian",
      "yes",
      "no",
    ],
    senders: [NONE, ["a draft after who", afterWho]],
    allowed: [400],
    numRuns: RUNS * 2,
  }),
  formTarget("apply.consent.tsx", {
    handler: applyConsent.action as Handler,
    url: () => "/apply/consent",
    fields: ["intent", "code"],
    values: ["send", "check", "123456", " 123 456 "],
    senders: [
      NONE,
      ["an on-behalf draft with a code sent", onBehalfAtConsent],
      ["a draft for oneself", afterDetails],
    ],
    allowed: [400, 429],
    numRuns: RUNS,
  }),
  formTarget("apply.household.tsx", {
    handler: applyHousehold.action as Handler,
    url: () => "/apply/household",
    fields: ["intent"],
    values: [],
    senders: [NONE, ["a draft after details", afterDetails]],
    allowed: [400],
    numRuns: RUNS,
  }),
  formTarget("apply.programmes.tsx", {
    handler: applyProgrammes.action as Handler,
    url: () => "/apply/programmes",
    fields: ["programs"],
    values: [
      "dibao",
      "medical",
      "tekun",
      "employment",
      "housing",
      "education",
      "temporary",
      "disability",
      "winter",
    ],
    senders: [NONE, ["a draft with its household", afterHousehold]],
    allowed: [400],
    numRuns: RUNS,
  }),
  formTarget("apply.documents.tsx", {
    handler: applyDocuments.action as Handler,
    url: () => "/apply/documents?type=id_card",
    fields: ["file", "type", "intent", "phone"],
    values: [
      "id_card",
      "household_register",
      "income_proof",
      "other",
      "done",
      "callback",
      "13800138000",
    ],
    files: true,
    senders: [NONE, ["a draft at its documents", afterProgrammes]],
    allowed: [400, 413, 415, 429],
    numRuns: RUNS * 2,
  }),
  formTarget("apply.declaration.tsx", {
    handler: applyDeclaration.action as Handler,
    url: () => "/apply/declaration",
    fields: ["declare", "token"],
    values: ["yes", "no", "0".repeat(32)],
    senders: [NONE, ["a draft ready to submit", readyToDeclare]],
    allowed: [400, 403],
    numRuns: RUNS,
  }),
  formTarget("apply.save.tsx", {
    handler: applySave.action as Handler,
    url: () => "/apply/save",
    fields: ["phone"],
    values: ["13800138000", "138 0013 8111"],
    senders: [NONE, ["a draft", afterWho]],
    allowed: [400, 429],
    numRuns: RUNS,
  }),
  formTarget("apply.invite.$token.tsx", {
    handler: applyInvite.action as Handler,
    url: (p) => `/apply/invite/${encodeURIComponent(p.token)}`,
    params: fc
      .oneof(
        fc.string({ maxLength: 40 }),
        fc.constantFrom(
          "",
          "a".repeat(5000),
          "00000000-0000-4000-8000-000000000000"
        )
      )
      .map((token) => ({ token: wellFormed(token) })),
    fields: ["intent"],
    values: ["optOut", "apply"],
    senders: [NONE],
    allowed: [400, 404, 410],
    numRuns: RUNS,
  }),
  formTarget("track._index.tsx", {
    handler: trackIndex.action as Handler,
    url: () => "/track",
    fields: ["reference", "phone"],
    values: ["LA-0000-0000", "13800138000", "la 0000 0000"],
    senders: [NONE],
    allowed: [400, 429],
    numRuns: RUNS,
  }),
  formTarget("track.code.tsx", {
    handler: trackCode.action as Handler,
    url: () => "/track/code",
    fields: ["code", "intent"],
    values: ["resend", "123456", "000000"],
    senders: [NONE, ["a code sent", codePending]],
    allowed: [400, 429],
    numRuns: RUNS,
  }),
  formTarget("track.case.tsx", {
    handler: trackCase.action as Handler,
    url: () => "/track/case",
    fields: ["intent", "callbackPhone", "file", "type"],
    values: [
      "extend",
      "callback",
      "uploadCallback",
      "optOut",
      "revokeProxy",
      "13800138000",
      "id_card",
      "other",
    ],
    files: true,
    senders: [
      NONE,
      ["signed in to a case", signedIn],
      ["a garbage cookie", () => ({ cookie: "__track=garbage.%%%; track=1" })],
    ],
    allowed: [400, 403, 413, 415, 429],
    numRuns: RUNS * 2,
  }),
  formTarget("track.follow-up.tsx", {
    handler: trackFollowUp.action as Handler,
    url: () => "/track/follow-up",
    fields: ["referralId", "helpArrived", "satisfaction", "comment"],
    values: ["yes", "no", "1", "5", "0", "6", "no-such-referral"],
    senders: [
      NONE,
      ["signed in to a case", signedIn],
      ["a garbage cookie", () => ({ cookie: "__track=garbage.%%%; track=1" })],
    ],
    allowed: [400, 403, 404, 409, 429],
    numRuns: RUNS,
  }),
  formTarget("track.withdraw.tsx", {
    handler: trackWithdraw.action as Handler,
    url: () => "/track/withdraw",
    fields: ["intent", "confirm"],
    values: ["yes"],
    senders: [NONE],
    allowed: [400],
    numRuns: RUNS / 5,
  }),
  formTarget("notice.$id.objection.tsx", {
    handler: noticeObjection.action as Handler,
    url: (p) => `/notice/${encodeURIComponent(p.id)}/objection`,
    params: fc
      .oneof(
        { arbitrary: fc.constant("ON_NOTICE"), weight: 3 },
        { arbitrary: fc.string({ maxLength: 40 }), weight: 1 }
      )
      .map((id) => ({ id: wellFormed(id) })),
    fields: ["reason", "contact"],
    values: ["这户人家有车", "13800138000"],
    senders: [NONE],
    allowed: [400, 404, 429],
    numRuns: RUNS,
  }),
  formTarget("dev.sms.tsx", {
    handler: devSms.action as Handler,
    url: () => "/dev/sms",
    fields: ["phone", "body", "intent"],
    values: ["13800138000", "send", "1", "STOP"],
    senders: [NONE],
    allowed: [400, 404, 415, 429],
    numRuns: RUNS,
  }),
];

beforeAll(async () => {
  // The objection target's "ON_NOTICE" stands for a real case on notice.
  const id = await caseOnNotice();
  const target = TARGETS.find((t) => t.file === "notice.$id.objection.tsx")!;
  target.params = target.params!.map(({ id: given }) => ({
    id: given === "ON_NOTICE" ? id : given,
  }));
}, 30_000);

describe("public form actions never answer 5xx", () => {
  it.each(TARGETS.map((t) => [t.file, t] as const))(
    "%s",
    async (_file, target) => {
      await fuzzFormTarget(target);
    },
    120_000
  );
});

describe("regressions", () => {
  // Found by this fuzz: request.formData() throws a TypeError on a multipart
  // body without its boundary (or cut short), which Remix answered with a 500.
  it.each([
    ["multipart/form-data", "a=1"],
    ["multipart/form-data; boundary=zz", "--zz\r\nbroken"],
  ])("a malformed body (%s) is a 400, not a 500", async (contentType, body) => {
    for (const target of TARGETS.filter((t) =>
      [
        "callback.tsx",
        "check._index.tsx",
        "track._index.tsx",
        "apply.who.tsx",
      ].includes(t.file)
    )) {
      const answer = await runHandler(
        target.handler,
        new Request(`http://localhost${target.url({})}`, {
          method: "POST",
          headers: { "Content-Type": contentType },
          body,
        })
      );
      expect(answer.thrown, target.file).toBeUndefined();
      expect(answer.status, target.file).toBe(400);
    }
  });
});

afterAll(async () => {
  // Healthy afterwards: the database answers, and a good call-back request still goes through.
  const health = await runHandler(
    healthz as Handler,
    new Request("http://localhost/healthz")
  );
  expect(health.status).toBe(200);
  const good = await runHandler(
    callbackPage.action as Handler,
    formRequest(
      "/callback",
      {
        kind: "urlencoded",
        contentType: "application/x-www-form-urlencoded",
        entries: [
          ["phone", "13900139123"],
          ["language", "en"],
        ],
      },
      {}
    ),
    { context: { clientIp: "198.51.100.99" } }
  );
  checkAnswer(good, [], "a good call-back request after the fuzz");
  expect(good.location).toMatch(/^\/callback\/done\/CB-/);
});
