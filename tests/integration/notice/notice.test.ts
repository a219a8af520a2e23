// The public notice (公示) end to end through the models and routes: an
// approval puts the case on notice for 7 days (two timeline events, one
// text); /notice and the objection page show only the rule book's fields (a
// scan for the seeded names, ID numbers, phones and references in both
// languages); objections are checked, rate-limited per IP and decided by a
// supervisor (uphold → manual_review, dismiss → stays); the sweep starts the
// help only when the notice ended with nothing open or upheld, and running it
// twice changes nothing more.
import { beforeAll, describe, expect, it } from "vitest";
import { submitApplication } from "~/models/application.server";
import {
  approveCase,
  moveCase,
  type Reviewer,
} from "~/models/case-review.server";
import {
  activateEndedNotices,
  decideObjection,
  fileObjection,
  listNoticeCases,
} from "~/models/notice.server";
import {
  action as objectionAction,
  loader as objectionLoader,
} from "~/routes/notice.$id.objection";
import { loader as sentLoader } from "~/routes/notice.objection-sent";
import { loader as noticeLoader } from "~/routes/notice._index";
import {
  action as decideAction,
  loader as objectionPageLoader,
} from "~/routes/staff.objections.$id";
import { loader as objectionListLoader } from "~/routes/staff.objections._index";
import { loader as staffCaseLoader } from "~/routes/staff.cases.$reference";
import { db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { idNumber } from "../applications/helpers";
import { household } from "../staff/case-fixtures";
import {
  callRoute,
  signInAs,
  staffGet,
  staffPost,
  type TestStaffSession,
} from "../../support/staff";

const DAY = 24 * 3600_000;
let supervisor: TestStaffSession;
let caseworker: TestStaffSession;
let who: Reviewer;
let sequence = 0;

interface NoticeCase {
  id: string;
  reference: string;
  name: string;
  idNumber: string;
  phone: string;
  proxyName: string;
  proxyPhone: string;
}

/** A case approved at `approvedAt` (on notice from then), with personal data that differs per case. */
async function noticeCase({
  name,
  approvedAt = new Date(),
  district = "dongcheng",
  language = "zh-CN",
  people = 1,
}: {
  name?: string;
  approvedAt?: Date;
  district?: string | null;
  language?: "zh-CN" | "en";
  people?: number;
} = {}): Promise<NoticeCase> {
  sequence++;
  const n = String(sequence).padStart(4, "0");
  const personal = {
    name: name ?? `公示${n}号`,
    idNumber: idNumber(`11010519600101${n.slice(1)}`),
    phone: `1391234${n}`,
    proxyName: `帮手${n}`,
    proxyPhone: `1351234${n}`,
  };
  const made = await submitApplication(db, {
    applicant: {
      name: personal.name,
      idNumber: personal.idNumber,
      phone: personal.phone,
      language,
    },
    onBehalfOf: {
      name: personal.proxyName,
      phone: personal.proxyPhone,
      relationship: "child",
      consent: "sms",
    },
    household: household(people, people === 1 ? 200 : 0),
    programs: ["dibao"],
    channel: "web",
    actor: "resident",
    district,
  });
  if (!made.ok) throw new Error(JSON.stringify(made.errors));
  const before = new Date(approvedAt.getTime() - 60_000);
  expect(
    await moveCase(
      db,
      { reference: made.reference, to: "screening", who },
      before
    )
  ).toMatchObject({ ok: true });
  expect(
    await approveCase(
      db,
      { reference: made.reference, who, mayApproveLarge: true },
      approvedAt
    )
  ).toMatchObject({ ok: true });
  return { id: made.id, reference: made.reference, ...personal };
}

const statusOf = async (c: NoticeCase) =>
  (
    await db.application.findUniqueOrThrow({
      where: { id: c.id },
      select: { status: true },
    })
  ).status;
const eventsOf = (c: NoticeCase) =>
  db.caseEvent.findMany({
    where: { applicationId: c.id },
    orderBy: [{ at: "asc" }, { id: "asc" }],
  });
const textsTo = (phone: string) =>
  db.outboxMessage.findMany({
    where: { to: `+86${phone}` },
    orderBy: { createdAt: "asc" },
  });

function objectionPost(
  id: string,
  fields: Record<string, string>,
  { ip = "198.51.100.1", lng = "en" }: { ip?: string; lng?: string } = {}
) {
  return callRoute(
    objectionAction as never,
    staffPost(`/notice/${id}/objection?lng=${lng}`, null, fields),
    { params: { id }, context: { clientIp: ip } }
  );
}

beforeAll(async () => {
  supervisor = await signInAs("supervisor");
  caseworker = await signInAs("caseworker");
  who = {
    staffId: supervisor.staffId,
    actor: `staff:${supervisor.staffId}`,
    actorName: supervisor.username,
  };
});

describe("approval starts the public notice", () => {
  it("approved → public_notice in one action: two events, dates now and now + 7 days, one text with the end date", async () => {
    const approvedAt = new Date("2026-11-29T02:00:00.000Z");
    const c = await noticeCase({ approvedAt, language: "en" });
    const row = await db.application.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.status).toBe("public_notice");
    expect(row.noticeStartsAt?.toISOString()).toBe("2026-11-29T02:00:00.000Z");
    expect(row.noticeEndsAt?.toISOString()).toBe("2026-12-06T02:00:00.000Z");
    const moves = (await eventsOf(c))
      .filter(
        (e) => e.type === "status" && e.at.getTime() === approvedAt.getTime()
      )
      .map((e) => [e.fromStatus, e.toStatus]);
    expect(moves).toEqual([
      ["screening", "manual_review"],
      ["manual_review", "approved"],
      ["approved", "public_notice"],
    ]);
    const texts = (await textsTo(c.phone)).filter((m) =>
      m.dedupeKey?.startsWith("notice-start:")
    );
    expect(texts).toHaveLength(1);
    expect(texts[0].body).toContain(c.reference);
    expect(texts[0].body).toContain("7 days, until 6 December 2026");
    // the proxy is told too; nobody gets a separate "approved" status text
    expect(
      (await textsTo(c.proxyPhone)).filter((m) =>
        m.dedupeKey?.startsWith("notice-start:")
      )
    ).toHaveLength(1);
    expect(
      (await textsTo(c.phone)).filter((m) => /approved/.test(m.body))
    ).toHaveLength(1);
  });

  it("status words interpolate the notice period in both languages", () => {
    expect(fixedT("en", "case")("status.public_notice.meaning")).toContain(
      "for 7 days"
    );
    expect(fixedT("zh-CN", "case")("status.public_notice.next")).toContain(
      "7 天后"
    );
    expect(
      fixedT("zh-CN", "sms")("status.public_notice", { reference: "LA-X" })
    ).toContain("公示7天");
  });
});

describe("/notice shows only what the rule book allows", () => {
  let cases: NoticeCase[];
  beforeAll(async () => {
    cases = [
      await noticeCase({ name: "张三丰", district: "xicheng", people: 3 }),
      await noticeCase({ name: "John Smith", district: "haidian" }),
      await noticeCase({ name: "李四" }),
    ];
  });

  function personalData(c: NoticeCase): string[] {
    return [
      c.name,
      c.idNumber,
      c.phone,
      c.phone.slice(-4) + c.idNumber.slice(-4),
      c.proxyName,
      c.proxyPhone,
      c.reference,
      c.idNumber.slice(0, 6) + c.idNumber.slice(6, 14),
    ];
  }

  it.each(["en", "zh-CN"])(
    "the list (%s): masked names, district names, amounts in yuan; no name, ID number, phone or reference",
    async (lng) => {
      const answer = await callRoute(
        noticeLoader as never,
        staffGet(`/notice?lng=${lng}`, null)
      );
      expect(answer.status).toBe(200);
      const text = JSON.stringify(answer.data);
      for (const c of cases)
        for (const value of personalData(c))
          expect(text.includes(value), `${lng}: ${value} must not appear`).toBe(
            false
          );
      const rows = (answer.data as { rows: Array<Record<string, string>> })
        .rows;
      const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
      expect(Object.keys(byName)).toEqual(
        expect.arrayContaining(["张*丰", "J*n S*h", "李*"])
      );
      // only the allowed fields
      expect(Object.keys(byName["张*丰"]).sort()).toEqual([
        "amount",
        "district",
        "ends",
        "help",
        "household",
        "id",
        "name",
        "objectLabel",
      ]);
      if (lng === "en") {
        expect(byName["张*丰"]).toMatchObject({
          district: "Xicheng",
          household: "3 people",
          help: "Minimum living allowance",
        });
        expect(byName["J*n S*h"]).toMatchObject({
          district: "Haidian",
          household: "1 person",
          amount: "800 yuan",
        });
      } else {
        expect(byName["张*丰"]).toMatchObject({
          district: "西城区",
          household: "3 人",
        });
        expect(byName["J*n S*h"].amount).toBe("800 元");
      }
      // the row's id is the opaque application id, not the reference
      expect(byName["李*"].id).toBe(cases[2].id);
    }
  );

  it("filters by district, and ignores an unknown one", async () => {
    const haidian = await callRoute(
      noticeLoader as never,
      staffGet("/notice?district=haidian&lng=en", null)
    );
    expect(
      (haidian.data as { rows: Array<{ name: string }> }).rows.map(
        (r) => r.name
      )
    ).toEqual(["J*n S*h"]);
    const unknown = await callRoute(
      noticeLoader as never,
      staffGet("/notice?district=%3Cscript%3E&page=-3", null)
    );
    expect(unknown.status).toBe(200);
    expect(
      (unknown.data as { district: string | null; page: number }).district
    ).toBeNull();
    expect((unknown.data as { page: number }).page).toBe(1);
  });

  it("lists only cases whose notice has not ended, newest first, 50 a page", async () => {
    const ended = await noticeCase({
      name: "过期了",
      approvedAt: new Date(Date.now() - 8 * DAY),
    });
    const list = await listNoticeCases(db, { page: 1 });
    expect(list.rows.map((r) => r.id)).not.toContain(ended.id);
    const ends = list.rows.map((r) => r.noticeEndsAt.getTime());
    expect([...ends].sort((a, b) => b - a)).toEqual(ends);
    const many = await listNoticeCases(db, { page: 1 }, new Date(0));
    expect(many.rows.length).toBeLessThanOrEqual(50);
  });

  it.each(["en", "zh-CN"])(
    "the objection page (%s) shows the same public facts and none of the personal data",
    async (lng) => {
      const c = cases[0];
      const answer = await callRoute(
        objectionLoader as never,
        staffGet(`/notice/${c.id}/objection?lng=${lng}`, null),
        { params: { id: c.id } }
      );
      expect(answer.status).toBe(200);
      const text = JSON.stringify(answer.data);
      for (const value of personalData(c))
        expect(text.includes(value), `${lng}: ${value}`).toBe(false);
      expect(text).toContain("张*丰");
    }
  );

  it("the objection page of a reference, an unknown id or an ended notice is 404", async () => {
    const ended = await noticeCase({
      approvedAt: new Date(Date.now() - 8 * DAY),
    });
    for (const id of [
      cases[0].reference,
      "no-such-id",
      ended.id,
      "../../etc",
    ]) {
      const answer = await callRoute(
        objectionLoader as never,
        staffGet(`/notice/${encodeURIComponent(id)}/objection`, null),
        { params: { id } }
      );
      expect(answer.status, id).toBe(404);
    }
    const post = await objectionPost(ended.id, { reason: "late" });
    expect(post.status).toBe(404);
    expect(
      await db.noticeObjection.count({ where: { applicationId: ended.id } })
    ).toBe(0);
  });
});

describe("objections", () => {
  it("a reason is required (400 with the message), a long reason is refused, and nothing is stored", async () => {
    const c = await noticeCase();
    const empty = await objectionPost(c.id, { reason: "  ", contact: "" });
    expect(empty.status).toBe(400);
    expect(empty.data).toMatchObject({
      errors: { reason: "Tell us what is wrong." },
    });
    const zh = await objectionPost(
      c.id,
      { reason: "x".repeat(1001) },
      { lng: "zh-CN" }
    );
    expect(zh.status).toBe(400);
    expect(zh.data).toMatchObject({
      errors: { reason: "问题最多写 1000 个字。" },
    });
    expect(
      await db.noticeObjection.count({ where: { applicationId: c.id } })
    ).toBe(0);
  });

  it("a sent objection is stored with its contact (staff only), goes to the confirmation page and holds the help", async () => {
    const c = await noticeCase({
      approvedAt: new Date(Date.now() - 7 * DAY + 60_000),
    });
    const sent = await objectionPost(c.id, {
      reason: "他们家有两辆车。",
      contact: "13700009999",
    });
    expect(sent.status).toBe(303);
    expect(sent.location).toBe("/notice/objection-sent");
    expect(
      (
        await callRoute(
          sentLoader as never,
          staffGet("/notice/objection-sent?lng=en", null)
        )
      ).status
    ).toBe(200);
    const stored = await db.noticeObjection.findFirstOrThrow({
      where: { applicationId: c.id },
    });
    expect(stored).toMatchObject({
      status: "open",
      reason: "他们家有两辆车。",
      contact: "13700009999",
    });
    // The notice ends; the open objection keeps the case waiting.
    const later = new Date(Date.now() + 2 * 60_000);
    await activateEndedNotices(db, later);
    expect(await statusOf(c)).toBe("public_notice");
    // The contact never shows on the public pages.
    const list = await callRoute(
      noticeLoader as never,
      staffGet("/notice", null)
    );
    expect(JSON.stringify(list.data)).not.toContain("13700009999");
  });

  it("more than 5 objections an hour from one address answer 429 with a plain message; another address still may", async () => {
    const c = await noticeCase();
    const ip = "192.0.2.77";
    for (let i = 0; i < 5; i++)
      expect(
        (await objectionPost(c.id, { reason: `reason ${i}` }, { ip })).status
      ).toBe(303);
    const refused = await objectionPost(
      c.id,
      { reason: "one too many" },
      { ip }
    );
    expect(refused.status).toBe(429);
    expect(refused.data).toMatchObject({
      tooMany: expect.stringMatching(/Too many objections/),
    });
    expect(
      await db.noticeObjection.count({ where: { applicationId: c.id } })
    ).toBe(5);
    expect(
      (
        await objectionPost(
          c.id,
          { reason: "from elsewhere" },
          { ip: "192.0.2.78" }
        )
      ).status
    ).toBe(303);
  });
});

describe("a supervisor decides", () => {
  async function objectTo(
    c: NoticeCase,
    reason = "他们家开店，收入很高。"
  ): Promise<string> {
    const filed = await fileObjection(db, {
      applicationId: c.id,
      reason,
      contact: "call 13700001111",
    });
    if (!filed.ok) throw new Error("objection");
    return filed.id;
  }
  const page = (session: TestStaffSession | null, id: string) =>
    callRoute(
      objectionPageLoader as never,
      staffGet(`/staff/objections/${id}?lng=en`, session),
      { params: { id } }
    );
  const decide = (
    session: TestStaffSession,
    id: string,
    fields: Record<string, string>
  ) =>
    callRoute(
      decideAction as never,
      staffPost(`/staff/objections/${id}?lng=en`, session, fields),
      { params: { id } }
    );

  it("the list and the page are for supervisors only; the page shows the case, the objection and its contact", async () => {
    const c = await noticeCase({ name: "王大锤" });
    const id = await objectTo(c);
    expect(
      (
        await callRoute(
          objectionListLoader as never,
          staffGet("/staff/objections", caseworker)
        )
      ).status
    ).toBe(403);
    expect((await page(caseworker, id)).status).toBe(403);
    const list = await callRoute(
      objectionListLoader as never,
      staffGet("/staff/objections?lng=en", supervisor)
    );
    expect(list.status).toBe(200);
    expect(
      (list.data as { rows: Array<{ id: string; reference: string }> }).rows
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id, reference: c.reference }),
      ])
    );
    const shown = await page(supervisor, id);
    expect(shown.status).toBe(200);
    expect(shown.data).toMatchObject({
      reference: c.reference,
      open: true,
      mayUphold: true,
      objection: {
        reason: "他们家开店，收入很高。",
        contact: "call 13700001111",
      },
    });
    expect(JSON.stringify(shown.data)).not.toContain(c.idNumber);
    expect(
      await db.auditEntry.count({
        where: { action: "view_objection", subjectId: id },
      })
    ).toBe(1);
  });

  it("uphold needs a reason (400); upheld: the case goes back to manual_review with an event, audited with ids only", async () => {
    const c = await noticeCase();
    const id = await objectTo(c);
    const missing = await decide(supervisor, id, {
      decision: "uphold",
      note: "",
    });
    expect(missing.status).toBe(400);
    expect(missing.data).toMatchObject({
      errors: { note: "Say why you uphold the objection." },
    });
    expect(await statusOf(c)).toBe("public_notice");

    const upheld = await decide(supervisor, id, {
      decision: "uphold",
      note: "Checked: the shop is theirs",
    });
    expect(upheld.status).toBe(303);
    expect(upheld.location).toBe(`/staff/objections/${id}?done=upheld`);
    expect(await statusOf(c)).toBe("manual_review");
    const back = (await eventsOf(c)).filter((e) => e.toStatus === "manual_review" && e.fromStatus === "public_notice");
    expect(back).toHaveLength(1);
    expect(back[0]).toMatchObject({
      type: "status",
      fromStatus: "public_notice",
      toStatus: "manual_review",
      actor: `staff:${supervisor.staffId}`,
    });
    expect(JSON.parse(back[0].detail)).toMatchObject({
      objectionId: id,
      note: "Checked: the shop is theirs",
    });
    expect(
      await db.noticeObjection.findUniqueOrThrow({ where: { id } })
    ).toMatchObject({
      status: "upheld",
      decidedById: supervisor.staffId,
      decisionNote: "Checked: the shop is theirs",
    });
    const audit = await db.auditEntry.findFirstOrThrow({
      where: { action: "uphold_objection", subjectId: id },
    });
    expect(JSON.parse(audit.detail)).toEqual({
      reference: c.reference,
      caseStatus: "public_notice",
    });
    expect(audit.detail).not.toContain("shop");
    // the resident is told the case is being looked at closely
    expect((await textsTo(c.phone)).at(-1)?.body).toMatch(/细审/);

    // Decided once: a second decision is refused (409) and changes nothing.
    const again = await decide(supervisor, id, {
      decision: "dismiss",
      note: "changed my mind",
    });
    expect(again.status).toBe(409);
    expect(
      (await db.noticeObjection.findUniqueOrThrow({ where: { id } })).status
    ).toBe("upheld");
    // The sweep never activates it.
    await activateEndedNotices(db, new Date(Date.now() + 30 * DAY));
    expect(await statusOf(c)).toBe("manual_review");
  });

  it("dismiss needs a note; dismissed: the case stays on notice, and the next sweep after the end starts the help", async () => {
    const c = await noticeCase({
      approvedAt: new Date(Date.now() - 7 * DAY + 60_000),
    });
    const id = await objectTo(c);
    const afterEnd = new Date(Date.now() + 2 * 60_000);
    await activateEndedNotices(db, afterEnd);
    expect(await statusOf(c)).toBe("public_notice");
    expect(
      (await decide(supervisor, id, { decision: "dismiss", note: "" })).status
    ).toBe(400);
    const dismissed = await decide(supervisor, id, {
      decision: "dismiss",
      note: "No evidence given",
    });
    expect(dismissed.status).toBe(303);
    expect(await statusOf(c)).toBe("public_notice");
    expect((await eventsOf(c)).at(-1)).toMatchObject({
      type: "objection_dismissed",
    });
    expect(
      await db.auditEntry.count({
        where: { action: "dismiss_objection", subjectId: id },
      })
    ).toBe(1);
    expect(
      (await activateEndedNotices(db, afterEnd)).activated
    ).toBeGreaterThanOrEqual(1);
    expect(await statusOf(c)).toBe("active");
  });

  it("the staff case page words the objection events and names the district", async () => {
    const c = await noticeCase({ district: "haidian" });
    const id = await objectTo(c);
    expect(
      (
        await decide(supervisor, id, {
          decision: "dismiss",
          note: "No evidence given",
        })
      ).status
    ).toBe(303);
    const answer = await callRoute(
      staffCaseLoader as never,
      staffGet(`/staff/cases/${c.reference}?lng=en`, supervisor),
      { params: { reference: c.reference } }
    );
    expect(answer.status).toBe(200);
    const data = answer.data as unknown as {
      district: string | null;
      timeline: Array<{ who: string; text: string }>;
    };
    expect(data.district).toBe("Haidian");
    expect(data.timeline).toContainEqual(
      expect.objectContaining({
        who: "a member of the public",
        text: expect.stringContaining("Someone objected"),
      })
    );
    expect(data.timeline).toContainEqual(
      expect.objectContaining({
        text: expect.stringContaining("dismissed an objection"),
      })
    );
  });

  it("an objection to a case no longer on notice can only be dismissed (uphold is 409, nothing changes)", async () => {
    const c = await noticeCase();
    const first = await objectTo(c);
    const second = await objectTo(c, "another");
    expect(
      (
        await decideObjection(db, {
          id: first,
          outcome: "upheld",
          note: "yes",
          who,
        })
      ).ok
    ).toBe(true);
    const refused = await decide(supervisor, second, {
      decision: "uphold",
      note: "also",
    });
    expect(refused.status).toBe(409);
    expect(
      (await db.noticeObjection.findUniqueOrThrow({ where: { id: second } }))
        .status
    ).toBe("open");
    expect((await page(supervisor, second)).data).toMatchObject({
      mayUphold: false,
    });
    expect(
      (
        await decide(supervisor, second, {
          decision: "dismiss",
          note: "same as the first",
        })
      ).status
    ).toBe(303);
  });
});

describe("the sweep", () => {
  it("activates only ended notices with nothing open or upheld, as 'system' with a text; twice is harmless", async () => {
    const now = new Date();
    const due = await noticeCase({
      approvedAt: new Date(now.getTime() - 7 * DAY - 1000),
    });
    const notYet = await noticeCase({
      approvedAt: new Date(now.getTime() - 6 * DAY),
    });
    const held = await noticeCase({
      approvedAt: new Date(now.getTime() - 8 * DAY),
    });
    await fileObjection(
      db,
      { applicationId: held.id, reason: "x", contact: null },
      new Date(now.getTime() - 7.5 * DAY)
    );

    const first = await activateEndedNotices(db, now);
    expect(first.activated).toBeGreaterThanOrEqual(1);
    expect(await statusOf(due)).toBe("active");
    expect(await statusOf(notYet)).toBe("public_notice");
    expect(await statusOf(held)).toBe("public_notice");
    // Found by what it did, not by being last: the seeded case's "submitted" event carries the
    // real clock at seeding, which can be a millisecond after this test's `now`.
    const activations = (await eventsOf(due)).filter((e) => e.toStatus === "active");
    expect(activations).toHaveLength(1);
    expect(activations[0]).toMatchObject({
      type: "status",
      fromStatus: "public_notice",
      toStatus: "active",
      actor: "system",
    });
    expect((await textsTo(due.phone)).at(-1)?.body).toMatch(/开始发放/);

    const events = await db.caseEvent.count();
    const texts = await db.outboxMessage.count();
    const second = await activateEndedNotices(db, now);
    expect(second.activated).toBe(0);
    expect(await db.caseEvent.count()).toBe(events);
    expect(await db.outboxMessage.count()).toBe(texts);
    // Two sweeps at once activate each case once.
    const racing = await noticeCase({
      approvedAt: new Date(now.getTime() - 8 * DAY),
    });
    const [a, b] = await Promise.all([
      activateEndedNotices(db, now),
      activateEndedNotices(db, now),
    ]);
    expect(a.activated + b.activated).toBe(1);
    expect(
      (await eventsOf(racing)).filter((e) => e.toStatus === "active")
    ).toHaveLength(1);
  });
});
