// The dashboard's referral figures from known rows: referrals by state, the
// share delivered, satisfaction (average and count) by programme, service and
// answer channel; and the same figures as CSV (UTF-8 with a BOM, headers in
// the reader's language, audited, dashboard.view only).
import { beforeAll, describe, expect, it } from "vitest";
import { referralFigures } from "~/models/referral-figures.server";
import * as dashboard from "~/routes/staff._index";
import * as csv from "~/routes/staff.dashboard.referrals[.]csv";
import { db, prepareDatabase } from "~/services/db.server";
import { callRoute, signInAs, staffGet, type TestStaffSession } from "../../support/staff";
import { createReferral } from "./helpers";

let caseworker: TestStaffSession;
let partner: TestStaffSession;

type Fixture = Awaited<ReturnType<typeof createReferral>>;

async function answered(
  phone: string,
  fields: { status: "sent" | "accepted" | "declined" | "delivered"; score?: number; channel?: "sms" | "web"; service: string; programs?: string[]; sameServiceAs?: Fixture },
) {
  const r = await createReferral({ phone, status: fields.status, serviceName: fields.service, organisationName: "阳光社工", programs: fields.programs, sameServiceAs: fields.sameServiceAs });
  if (fields.score) {
    await db.referral.update({
      where: { id: r.referralId },
      data: { followUpAskedAt: new Date(), helpArrived: true, satisfaction: fields.score, answerChannel: fields.channel, answeredAt: new Date(), followUpClosedAt: new Date(), followUpOutcome: "answered" },
    });
  }
  return r;
}

beforeAll(async () => {
  await prepareDatabase();
  caseworker = await signInAs("caseworker");
  partner = await signInAs("partner");
  const care = await answered("13700000401", { status: "delivered", score: 5, channel: "sms", service: "居家照护", programs: ["dibao", "medical"] });
  await answered("13700000402", { status: "delivered", score: 2, channel: "web", service: "居家照护", programs: ["dibao"], sameServiceAs: care });
  const tutoring = await answered("13700000403", { status: "delivered", score: 4, channel: "sms", service: "课业辅导", programs: ["dibao"] });
  // The first case came in through a partner organisation; the others by text (the fixture's channel).
  await db.application.update({ where: { id: care.applicationId }, data: { channel: "partner" } });
  await answered("13700000404", { status: "accepted", service: "课业辅导", sameServiceAs: tutoring });
  await answered("13700000405", { status: "declined", service: "课业辅导", sameServiceAs: tutoring });
});

describe("referral figures", () => {
  it("counts by state, the share delivered and satisfaction by programme, service and channel", async () => {
    const f = await referralFigures(db);
    expect(f.byState).toEqual([
      { state: "sent", count: 0 },
      { state: "accepted", count: 1 },
      { state: "declined", count: 1 },
      { state: "delivered", count: 3 },
    ]);
    expect([f.total, f.delivered, f.deliveredPercent]).toEqual([5, 3, 60]);
    expect(f.overall).toEqual({ answers: 3, average: 3.7 });
    expect(f.byProgramme).toEqual([
      { program: "dibao", answers: 3, average: 3.7 },
      { program: "medical", answers: 1, average: 5 },
    ]);
    expect(f.byService.map((s) => [s.service, s.answers, s.average])).toEqual([
      ["居家照护", 2, 3.5],
      ["课业辅导", 1, 4],
    ]);
    expect(f.byCaseChannel).toEqual([
      { channel: "sms", answers: 2, average: 3 },
      { channel: "partner", answers: 1, average: 5 },
    ]);
    expect(f.byChannel).toEqual([
      { channel: "sms", answers: 2, average: 4.5 },
      { channel: "web", answers: 1, average: 2 },
    ]);
  });

  it("are on the dashboard, with programme names in the reader's language", async () => {
    const answer = await callRoute(dashboard.loader, staffGet("/staff?lng=en", caseworker));
    expect(answer.status).toBe(200);
    const referrals = answer.data?.referrals as { total: number; byProgramme: Array<{ label: string }> };
    expect(referrals.total).toBe(5);
    expect(referrals.byProgramme.map((p) => p.label)[0]).toMatch(/[A-Za-z]/);
  });
});

describe("CSV export", () => {
  it("downloads the figures as UTF-8 with a BOM, and the download is audited", async () => {
    const before = await db.auditEntry.count({ where: { action: "export_referral_figures" } });
    const res = (await csv.loader({ request: staffGet("/staff/dashboard/referrals.csv?lng=zh-CN", caseworker), params: {}, context: {} })) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="lifeline-referrals-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split("\r\n");
    expect(lines[0]).toBe("指标,分组,数量,总数,百分比,平均满意度,回答数");
    expect(lines).toContain("转介状态,社会组织说已提供服务,3,5,,,");
    expect(lines).toContain("已提供服务的比例,全部转介,3,5,60,,");
    expect(lines).toContain("按服务的满意度,居家照护（阳光社工）,,,,3.5,2");
    expect(lines).toContain("按回答方式的满意度,短信,,,,4.5,2");
    expect(lines).toContain("按申请方式的满意度,合作机构,,,,5,1");
    expect(await db.auditEntry.count({ where: { action: "export_referral_figures", actor: `staff:${caseworker.staffId}` } })).toBe(before + 1);
  });

  it("has English headers for an English reader", async () => {
    const res = (await csv.loader({ request: staffGet("/staff/dashboard/referrals.csv?lng=en", caseworker), params: {}, context: {} })) as Response;
    const text = (await res.text()).replace(/^\uFEFF/, "");
    expect(text.split("\r\n")[0]).toBe("Figure,Group,Count,Total,Percent,Average satisfaction,Answers");
    expect(text).toContain("Satisfaction by channel,Website,,,,2,1");
    expect(text).toContain("Satisfaction by how the case came in,Text message,,,,3,2");
  });

  it("is refused to a partner (403) and to someone signed out (login)", async () => {
    expect((await callRoute(csv.loader, staffGet("/staff/dashboard/referrals.csv", partner))).status).toBe(403);
    const anonymous = await callRoute(csv.loader, staffGet("/staff/dashboard/referrals.csv", null));
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toMatch(/^\/staff\/login/);
  });
});
