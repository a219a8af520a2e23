// Residents' data (/staff/residents, app/models/resident-data.server.ts):
// the search (masked, audited with a reason), the export (a .tar unpacked
// here with the system's tar and compared byte for byte), the erasure (every
// table and the upload directory searched for the person afterwards; another
// resident untouched; one pseudonymised audit entry; the chain still
// verifies) and who may do it (supervisors only).
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { submitApplication } from "~/models/application.server";
import { residentSubjectId } from "~/models/resident-data.server";
import {
  screeningOptOutHash,
  screeningOptOutKey,
} from "~/domain/outreach/opt-out";
import { verifyAuditChain } from "~/services/audit.server";
import { db } from "~/services/db.server";
import * as search from "~/routes/staff.residents._index";
import * as exporter from "~/routes/staff.residents.export";
import * as erase from "~/routes/staff.residents.erase";
import {
  APPLICANT_ID,
  filesIn,
  idNumber,
  makeTemporaryUploadDir,
  POOR_HOUSEHOLD,
} from "../applications/helpers";
import {
  callRoute,
  signInAs,
  staffGet,
  staffPost,
  type TestStaffSession,
} from "../../support/staff";
import { everyRowText } from "../../support/db-schema";

const run = promisify(execFile);

// Resident A (the one asking) and resident B (someone else, who must be left alone).
const A = {
  name: "王秀英",
  id: APPLICANT_ID,
  phone: "+8613800138000",
  national: "13800138000",
};
const B = {
  name: "赵大海",
  id: idNumber("11010519600101003"),
  phone: "+8613700137000",
  national: "13700137000",
};
const A_PROXY = { name: "李明", phone: "+8613900139000" };

let uploadDir: string;
let supervisor: TestStaffSession;
const fileBytes: Record<string, Buffer> = {};
const refs: Record<string, string> = {};

function storeFile(bytes: Buffer, ext = "jpg"): string {
  const name = `${crypto.randomBytes(16).toString("hex")}.${ext}`;
  fs.writeFileSync(path.join(uploadDir, name), bytes);
  fileBytes[name] = bytes;
  return name;
}

async function evidence(
  where: { applicationId?: string; draftId?: string },
  type: string,
  bytes: Buffer,
  ext = "jpg"
): Promise<string> {
  const storedName = storeFile(bytes, ext);
  const format = ext === "pdf" ? "pdf" : "jpeg";
  await db.evidence.create({
    data: {
      ...where,
      type,
      storedName,
      format,
      size: bytes.length,
      sha256: crypto.createHash("sha256").update(bytes).digest("hex"),
    },
  });
  return storedName;
}

async function submit(
  person: typeof A,
  proxy: { name: string; phone: string } | null
): Promise<{ id: string; reference: string }> {
  const result = await submitApplication(db, {
    applicant: {
      name: person.name,
      idNumber: person.id,
      phone: person.national,
      language: "zh-CN",
    },
    onBehalfOf: proxy
      ? {
          name: proxy.name,
          phone: proxy.phone,
          relationship: "child",
          consent: "sms",
        }
      : null,
    household: POOR_HOUSEHOLD,
    programs: ["dibao"],
    channel: "web",
    actor: "resident",
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { id: result.id, reference: result.reference };
}

/** Everything about one phone and ID number: the rows a resident's data is made of. */
async function seedPerson(person: typeof A, tag: string): Promise<void> {
  const draftId = crypto.createHash("md5").update(tag).digest("hex");
  await db.applicationDraft.create({
    data: {
      id: draftId,
      phone: person.phone,
      language: "zh-CN",
      expiresAt: new Date(Date.now() + 86_400_000),
      answers: JSON.stringify({
        applicant: {
          name: person.name,
          idNumber: person.id,
          phone: person.national,
        },
      }),
    },
  });
  await evidence({ draftId }, "income_proof", crypto.randomBytes(3000), "pdf");
  await db.journeyStep.create({
    data: { journey: "apply", draftId, step: "who" },
  });
  const cb = await db.callbackRequest.create({
    data: {
      reference: `CB-${tag}-0001`,
      phone: person.phone,
      name: person.name,
      language: "zh-CN",
      source: "web_request",
      dueAt: new Date(),
    },
  });
  await db.callAttempt.create({
    data: {
      callbackId: cb.id,
      staffUserId: "someone",
      outcome: "no_answer",
      note: `called ${person.name}`,
    },
  });
  await db.conversation.create({
    data: {
      id: `sms:${person.phone}`,
      channel: "sms",
      address: person.phone,
      language: "zh-CN",
      transcript: JSON.stringify([
        {
          from: "resident",
          text: `我是${person.name}`,
          at: "2026-11-01T00:00:00Z",
        },
      ]),
    },
  });
  await db.botState.create({
    data: { key: `sms/conversations/${person.phone}/`, value: '{"dialog":1}' },
  });
  await db.botState.create({
    data: {
      key: `sms-in:000000000000001:00000000${tag.length}:SM-${tag}`,
      value: JSON.stringify({ from: person.phone, body: "hello" }),
    },
  });
  await db.oneTimeCode.create({
    data: {
      purpose: "track",
      phone: person.phone,
      codeHash: "secret-hash",
      expiresAt: new Date(Date.now() + 600_000),
    },
  });
  const lead = await db.outreachLead.create({
    data: {
      householdId: `HH-${tag}`,
      dataDate: "2026-06-01",
      flags: '["likely_dibao"]',
      flagCount: 1,
      perCapitaIncomeFen: 10000,
      members: 1,
      reasons: "[]",
      household: '{"members":[]}',
      people: JSON.stringify([
        {
          name: person.name,
          idNumber: person.id,
          phone: person.national,
          mobile: person.phone,
          relation: "self",
        },
      ]),
    },
  });
  await db.outreachContact.create({
    data: {
      leadId: lead.id,
      staffId: "someone",
      kind: "call",
      outcome: "reached",
    },
  });
  await db.outreachInvitation.create({
    data: {
      leadId: lead.id,
      tokenHash: `hash-${tag}`,
      createdById: "someone",
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
}

/** Every row of every table but the audit log and the migrations', as text. */
function everyRow(): Promise<string> {
  return everyRowText(db, ["AuditEntry"]);
}

const SEARCH_A = {
  idNumber: A.id,
  reason: "The resident asked for a copy of their data",
};

beforeAll(async () => {
  uploadDir = makeTemporaryUploadDir();
  supervisor = await signInAs("supervisor");

  // A: two cases of their own (one still open for now, one rejected), with documents.
  const a1 = await submit(A, A_PROXY);
  const a2 = await submit(A, null);
  refs.a1 = a1.reference;
  refs.a2 = a2.reference;
  await db.application.update({
    where: { id: a2.id },
    data: { status: "rejected", decidedAt: new Date() },
  });
  await evidence({ applicationId: a1.id }, "id_card", crypto.randomBytes(5000));
  await evidence(
    { applicationId: a2.id },
    "household_register",
    crypto.randomBytes(700)
  );
  await db.caseEvent.create({
    data: {
      applicationId: a1.id,
      type: "note",
      actor: "staff:x",
      detail: '{"note":"spoke to resident"}',
    },
  });
  await seedPerson(A, "A");
  await db.smsOptOut.create({ data: { phone: A.phone } });
  await db.screeningOptOut.create({
    data: {
      idHash: screeningOptOutHash(
        A.id,
        screeningOptOutKey("test-session-secret")
      ),
      source: "web",
    },
  });

  // B: an active case where A acts for B (proxy), with a document; B's own rows of every kind.
  const b1 = await submit(B, { name: A.name, phone: A.phone });
  refs.b1 = b1.reference;
  await db.application.update({
    where: { id: b1.id },
    data: { status: "active", decidedAt: new Date() },
  });
  await evidence({ applicationId: b1.id }, "id_card", crypto.randomBytes(4000));
  await seedPerson(B, "B");
  // An objection A sent about B's case, giving A's phone as the contact.
  await db.noticeObjection.create({
    data: {
      applicationId: b1.id,
      reason: "I know this family",
      contact: `call ${A.national}`,
    },
  });
});

describe("finding a resident", () => {
  it("lists what is held, masked, and audits the look with the reason (never the number)", async () => {
    const before = await db.auditEntry.count();
    const answer = await callRoute(
      search.action,
      staffPost("/staff/residents", supervisor, SEARCH_A)
    );
    expect(answer.status).toBe(200);
    const found = (
      answer.data as {
        found: {
          held: Record<string, unknown>;
          nothing: boolean;
          mayErase: boolean;
        };
      }
    ).found;
    expect(found.nothing).toBe(false);
    expect(found.mayErase).toBe(true);
    const held = JSON.stringify(found.held);
    expect(held).toContain("110***********");
    expect(held).toContain("138****8000");
    expect(held).not.toContain(A.id);
    expect(held).not.toContain(A.national);
    expect(held).toContain(refs.a1);
    expect(held).toContain(refs.a2);
    expect(held).toContain(refs.b1); // as proxy: reference and status only
    expect(held).not.toContain(B.name);
    expect(found.held.blocking).toEqual([expect.stringContaining(refs.a1)]);

    const entries = await db.auditEntry.findMany({
      where: { seq: { gt: before } },
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: "view_resident",
      subjectType: "resident",
      subjectId: residentSubjectId({ idNumber: A.id, phones: [] }),
      reason: SEARCH_A.reason,
    });
    expect(JSON.stringify(entries[0])).not.toContain(A.id);
    expect(JSON.stringify(entries[0])).not.toContain(A.national);
  });

  it("finds the same person by phone or by case reference", async () => {
    for (const fields of [
      { phone: "138 0013 8000" },
      { reference: refs.a2.toLowerCase() },
    ]) {
      const answer = await callRoute(
        search.action,
        staffPost("/staff/residents", supervisor, {
          ...fields,
          reason: "asked",
        })
      );
      expect(answer.status, JSON.stringify(fields)).toBe(200);
      expect(JSON.stringify(answer.data)).toContain(refs.a1);
    }
  });

  it("answers a bad search with 400 and a message per field, auditing nothing", async () => {
    const before = await db.auditEntry.count();
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ reason: "x" }, ["idNumber"]],
      [{ idNumber: A.id }, ["reason"]],
      [
        {
          idNumber: `${A.id.slice(0, 17)}${A.id[17] === "1" ? "2" : "1"}`,
          reason: "x",
        },
        ["idNumber"],
      ],
      [{ phone: "12345", reason: "x" }, ["phone"]],
      [{ reference: "LA-NOPE", reason: "x" }, ["reference"]],
      [{ idNumber: B.id, reference: refs.a1, reason: "x" }, ["reference"]],
      [{ reason: "x".repeat(501), idNumber: A.id }, ["reason"]],
    ];
    for (const [fields, wrong] of cases) {
      const answer = await callRoute(
        search.action,
        staffPost("/staff/residents", supervisor, fields)
      );
      expect(answer.status, JSON.stringify(fields)).toBe(400);
      expect(
        Object.keys((answer.data as { errors: object }).errors),
        JSON.stringify(fields)
      ).toEqual(wrong);
    }
    expect(await db.auditEntry.count()).toBe(before);
  });

  it("asks for the ID number when several applicants used the phone", async () => {
    const other = idNumber("11010519700101005");
    await db.application.create({
      data: {
        reference: "LA-SHAR-ED00",
        status: "rejected",
        channel: "web",
        language: "zh-CN",
        applicantName: "共用",
        applicantIdNumber: other,
        applicantPhone: "+8613600136000",
        household: "{}",
        programs: "[]",
        results: "{}",
        rulesVersion: "t",
      },
    });
    await db.application.create({
      data: {
        reference: "LA-SHAR-ED01",
        status: "rejected",
        channel: "web",
        language: "zh-CN",
        applicantName: "共用",
        applicantIdNumber: idNumber("11010519700101013"),
        applicantPhone: "+8613600136000",
        household: "{}",
        programs: "[]",
        results: "{}",
        rulesVersion: "t",
      },
    });
    const answer = await callRoute(
      search.action,
      staffPost("/staff/residents", supervisor, {
        phone: "13600136000",
        reason: "x",
      })
    );
    expect(answer.status).toBe(400);
    expect(Object.keys((answer.data as { errors: object }).errors)).toEqual([
      "phone",
    ]);
    await db.application.deleteMany({
      where: { applicantPhone: "+8613600136000" },
    });
  });
});

describe("downloading everything", () => {
  it("sends one .tar with every kind of row and the files, byte for byte, audited", async () => {
    const before = await db.auditEntry.count();
    const request = staffPost("/staff/residents/export", supervisor, SEARCH_A);
    const response = (await exporter.action({
      request,
      params: {},
      context: {},
    })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/x-tar");
    expect(response.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="lifeline-resident-\d{4}-\d{2}-\d{2}\.tar"$/
    );
    expect(response.headers.get("Cache-Control")).toContain("no-store");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const archive = Buffer.from(await response.arrayBuffer());
    expect(archive.length % 512).toBe(0);

    const out = fs.mkdtempSync(path.join(os.tmpdir(), "lifeline-export-"));
    const tarFile = path.join(out, "export.tar");
    fs.writeFileSync(tarFile, archive);
    await run("tar", ["-xf", tarFile, "-C", out]);
    const doc = JSON.parse(
      fs.readFileSync(path.join(out, "resident.json"), "utf8")
    ) as Record<string, unknown> & {
      applications: Array<{
        reference: string;
        applicantIdNumber: string;
        events: unknown[];
        evidence: Array<{ file: string; sha256: string }>;
        household: unknown;
      }>;
      drafts: Array<{
        evidence: Array<{ file: string; sha256: string }>;
        answers: unknown;
      }>;
      callbacks: Array<{ attempts: unknown[] }>;
      outreachLeads: Array<{
        contacts: unknown[];
        invitations: Array<Record<string, unknown>>;
      }>;
      oneTimeCodes: Array<Record<string, unknown>>;
    };
    expect(doc.format).toBe("lifeline-resident-export/1");
    expect(doc.person).toEqual({ idNumber: A.id, phones: [A.phone] });
    expect(doc.applications.map((a) => a.reference).sort()).toEqual(
      [refs.a1, refs.a2].sort()
    );
    expect(
      doc.applications.every(
        (a) =>
          a.applicantIdNumber === A.id &&
          a.events.length >= 1 &&
          typeof a.household === "object"
      )
    ).toBe(true);
    expect(doc.proxyFor).toEqual([
      expect.objectContaining({
        reference: refs.b1,
        proxyName: A.name,
        proxyPhone: A.phone,
      }),
    ]);
    expect(doc.drafts).toHaveLength(1);
    expect(doc.journeySteps).toHaveLength(1);
    expect(doc.callbacks).toHaveLength(1);
    expect(doc.callbacks[0].attempts).toHaveLength(1);
    expect(doc.conversations).toHaveLength(1);
    expect(doc.botStates).toHaveLength(2);
    // receipts of both cases to A, a1's receipt to A's proxy (it names A's case), B's receipt to A as B's proxy
    expect((doc.outbox as unknown[]).length).toBe(4);
    expect(doc.oneTimeCodes).toHaveLength(1);
    expect(doc.oneTimeCodes[0]).not.toHaveProperty("codeHash");
    expect(doc.outreachLeads).toHaveLength(1);
    expect(doc.outreachLeads[0].contacts).toHaveLength(1);
    expect(doc.outreachLeads[0].invitations[0]).not.toHaveProperty("tokenHash");
    expect(doc.objectionsSent).toHaveLength(1);
    expect(doc.smsOptOut).toHaveLength(1);
    expect(doc.screeningOptOut).toMatchObject({ source: "web" });

    // Every document, in the archive with the stored bytes.
    const listed = [
      ...doc.applications.flatMap((a) => a.evidence),
      ...doc.drafts.flatMap((d) => d.evidence),
    ];
    expect(listed).toHaveLength(3);
    for (const e of listed) {
      const bytes = fs.readFileSync(path.join(out, e.file));
      expect(crypto.createHash("sha256").update(bytes).digest("hex")).toBe(
        e.sha256
      );
      const original = Object.values(fileBytes).find((b) => b.equals(bytes));
      expect(original, e.file).toBeDefined();
    }
    expect(fs.readdirSync(path.join(out, "files")).sort()).toEqual(
      listed.map((e) => path.basename(e.file)).sort()
    );
    // Nothing of B's own in it.
    const text = fs.readFileSync(path.join(out, "resident.json"), "utf8");
    for (const value of [B.id, B.name, B.national])
      expect(text).not.toContain(value);
    fs.rmSync(out, { recursive: true, force: true });

    const entries = await db.auditEntry.findMany({
      where: { seq: { gt: before } },
    });
    expect(entries.map((e) => [e.action, e.subjectType, e.subjectId])).toEqual([
      [
        "export_resident",
        "resident",
        residentSubjectId({ idNumber: A.id, phones: [] }),
      ],
    ]);
  });

  it("refuses a download whose hidden fields were changed (400, nothing sent)", async () => {
    const response = (await exporter.action({
      request: staffPost("/staff/residents/export", supervisor, {
        idNumber: "nope",
        reason: "x",
      }),
      params: {},
      context: {},
    })) as Response;
    expect(response.status).toBe(400);
    expect(response.headers.get("Content-Type")).toContain("text/plain");
  });
});

describe("erasing everything", () => {
  const eraseFields = {
    ...SEARCH_A,
    intent: "erase",
    reason: "The resident asked in writing",
    confirm: "删除",
  };

  it("the first step shows the form; a wrong word or no reason is 400 with the fields named", async () => {
    const start = await callRoute(
      erase.action,
      staffPost("/staff/residents/erase", supervisor, {
        idNumber: A.id,
        intent: "start",
      })
    );
    expect(start.status).toBe(200);
    expect(start.data).toMatchObject({ query: { idNumber: A.id }, errors: {} });
    const bad = await callRoute(
      erase.action,
      staffPost("/staff/residents/erase", supervisor, {
        idNumber: A.id,
        intent: "erase",
        reason: "",
        confirm: "yes",
      })
    );
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.data as { errors: object }).errors).sort()).toEqual(
      ["confirm", "reason"]
    );
    expect(
      await db.application.count({ where: { applicantIdNumber: A.id } })
    ).toBe(2);
  });

  it("refuses while one of their cases is still open (409), erasing nothing", async () => {
    const before = await everyRow();
    const answer = await callRoute(
      erase.action,
      staffPost("/staff/residents/erase", supervisor, eraseFields)
    );
    expect(answer.status).toBe(409);
    expect(String((answer.data as { message: string }).message)).toContain(
      refs.a1
    );
    expect(await everyRow()).toBe(before);
  });

  it("once closed, deletes every row and file about them, leaves B alone, and leaves one pseudonymised audit entry", async () => {
    await db.application.update({
      where: { reference: refs.a1 },
      data: { status: "withdrawn", closedAt: new Date() },
    });
    const bFiles = (
      await db.evidence.findMany({
        where: {
          OR: [
            { application: { applicantIdNumber: B.id } },
            { draft: { phone: B.phone } },
          ],
        },
      })
    ).map((e) => e.storedName);
    const bBefore = {
      cases: await db.application.count({ where: { applicantIdNumber: B.id } }),
      drafts: await db.applicationDraft.count({ where: { phone: B.phone } }),
      callbacks: await db.callbackRequest.count({ where: { phone: B.phone } }),
      attempts: await db.callAttempt.count({
        where: { callback: { phone: B.phone } },
      }),
      conversations: await db.conversation.count({
        where: { address: B.phone },
      }),
      botStates: await db.botState.count({
        where: {
          OR: [
            { key: { contains: B.phone } },
            { value: { contains: B.phone } },
          ],
        },
      }),
      outbox: await db.outboxMessage.count({ where: { to: B.phone } }),
      codes: await db.oneTimeCode.count({ where: { phone: B.phone } }),
      leads: await db.outreachLead.count({
        where: { people: { contains: B.id } },
      }),
      objections: await db.noticeObjection.count(),
    };
    const auditBefore = await db.auditEntry.count();

    const answer = await callRoute(
      erase.action,
      staffPost("/staff/residents/erase", supervisor, eraseFields)
    );
    expect(answer.status).toBe(303);
    expect(answer.location).toBe("/staff/residents?erased=1");

    // Nothing in any table names A: ID number, phone (either form) or name.
    const rows = await everyRow();
    for (const value of [
      A.id,
      A.national,
      A.name,
      A_PROXY.name,
      refs.a1,
      refs.a2,
    ])
      expect(rows.includes(value), value).toBe(false);
    // The upload directory holds B's files only.
    expect(filesIn(uploadDir).sort()).toEqual(bFiles.sort());
    for (const name of bFiles)
      expect(
        fs.readFileSync(path.join(uploadDir, name)).equals(fileBytes[name])
      ).toBe(true);

    // B: everything still there; B's case keeps its proxy consent but not A's details.
    expect({
      cases: await db.application.count({ where: { applicantIdNumber: B.id } }),
      drafts: await db.applicationDraft.count({ where: { phone: B.phone } }),
      callbacks: await db.callbackRequest.count({ where: { phone: B.phone } }),
      attempts: await db.callAttempt.count({
        where: { callback: { phone: B.phone } },
      }),
      conversations: await db.conversation.count({
        where: { address: B.phone },
      }),
      botStates: await db.botState.count({
        where: {
          OR: [
            { key: { contains: B.phone } },
            { value: { contains: B.phone } },
          ],
        },
      }),
      outbox: await db.outboxMessage.count({ where: { to: B.phone } }),
      codes: await db.oneTimeCode.count({ where: { phone: B.phone } }),
      leads: await db.outreachLead.count({
        where: { people: { contains: B.id } },
      }),
      objections: await db.noticeObjection.count(),
    }).toEqual(bBefore);
    const bCase = await db.application.findUniqueOrThrow({
      where: { reference: refs.b1 },
    });
    expect(bCase).toMatchObject({
      status: "active",
      proxyName: null,
      proxyPhone: null,
      proxyRelationship: null,
      proxyConsent: "sms",
      applicantName: B.name,
    });
    expect((await db.noticeObjection.findFirstOrThrow()).contact).toBeNull();

    // The screening opt-out stays (an HMAC, never the number).
    expect(await db.screeningOptOut.count()).toBe(1);

    // One audit entry, pseudonymised; the log never held A's number or phone; the chain verifies.
    const entries = await db.auditEntry.findMany({
      where: { seq: { gt: auditBefore } },
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: "erase_resident",
      subjectType: "resident",
      subjectId: residentSubjectId({ idNumber: A.id, phones: [] }),
      reason: "The resident asked in writing",
      actorName: supervisor.username,
    });
    expect(JSON.parse(entries[0].detail)).toMatchObject({
      erased: { applications: 2, drafts: 1, callbacks: 1, outreachLeads: 1 },
      keptScreeningOptOut: true,
    });
    expect(
      await db.auditEntry.count({ where: { action: "erase_resident" } })
    ).toBe(1);
    const audit = JSON.stringify(await db.auditEntry.findMany());
    for (const value of [A.id, A.national, A.name])
      expect(audit.includes(value), value).toBe(false);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it("afterwards, a search finds nothing held, and a second erasure erases nothing (409)", async () => {
    const found = await callRoute(
      search.action,
      staffPost("/staff/residents", supervisor, SEARCH_A)
    );
    expect(found.status).toBe(200);
    expect((found.data as { found: { nothing: boolean } }).found.nothing).toBe(
      false
    ); // the screening opt-out is still held
    const again = await callRoute(
      erase.action,
      staffPost("/staff/residents/erase", supervisor, eraseFields)
    );
    expect(again.status).toBe(409);
    expect(
      await db.auditEntry.count({ where: { action: "erase_resident" } })
    ).toBe(1);
  });
});

describe("who may", () => {
  it("caseworkers and admins get 403 on every residents' page and form; supervisors may", async () => {
    const routes = [
      { loader: search.loader, action: search.action, url: "/staff/residents" },
      { action: exporter.action, url: "/staff/residents/export" },
      {
        loader: erase.loader,
        action: erase.action,
        url: "/staff/residents/erase",
      },
    ];
    for (const role of ["caseworker", "admin"] as const) {
      const session = await signInAs(role);
      for (const r of routes) {
        if (r.loader)
          expect(
            (await callRoute(r.loader, staffGet(r.url, session))).status,
            `GET ${r.url} as ${role}`
          ).toBe(403);
        expect(
          (await callRoute(r.action, staffPost(r.url, session, SEARCH_A)))
            .status,
          `POST ${r.url} as ${role}`
        ).toBe(403);
      }
    }
    expect(
      (await callRoute(search.loader, staffGet("/staff/residents", supervisor)))
        .status
    ).toBe(200);
    expect(
      (
        await callRoute(
          erase.loader,
          staffGet("/staff/residents/erase", supervisor)
        )
      ).status
    ).toBe(200);
  });
});
