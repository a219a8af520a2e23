// queueCallback and listCallbacks on a real database.
import { describe, expect, it } from "vitest";
import { isValidReference } from "~/domain/callback";
import { listCallbacks, queueCallback } from "~/models/callback.server";
import { db } from "~/services/db.server";

const sh = (local: string) => new Date(`${local}:00+08:00`);
const MONDAY_10 = sh("2026-11-30T10:00");

describe("queueCallback", () => {
  it("stores a tidy request with its due time and priority, and returns a reference", async () => {
    const result = await queueCallback(
      db,
      {
        phone: "+86 139-0000-1111",
        name: " 李明 ",
        language: "en",
        source: "chat",
        reason: "Rent is due",
        bestTime: "evening",
        context: { transcript: ["0", "人工"] },
        urgent: true,
        oldestAge: 45,
      },
      MONDAY_10,
    );
    expect(result).toEqual({ ok: true, reference: expect.stringMatching(/^CB-/), dueAt: sh("2026-11-30T14:00") });
    if (!result.ok) return;
    expect(isValidReference(result.reference, "CB")).toBe(true);
    const row = await db.callbackRequest.findUniqueOrThrow({ where: { reference: result.reference } });
    expect(row).toMatchObject({
      phone: "+8613900001111",
      name: "李明",
      language: "en",
      source: "chat",
      reason: "Rent is due",
      bestTime: "evening",
      context: '{"transcript":["0","人工"]}',
      urgent: true,
      oldestAge: 45,
      priority: 2,
      status: "queued",
      dueAt: sh("2026-11-30T14:00"),
      createdAt: MONDAY_10,
    });
  });

  it("stores nothing and returns error keys when the input is wrong", async () => {
    const before = await db.callbackRequest.count();
    const result = await queueCallback(db, { phone: "0755-1234567", name: "x".repeat(51), language: "zh-CN", source: "sms" }, MONDAY_10);
    expect(result).toEqual({ ok: false, errors: { phone: "phone.notMobile", name: "name.tooLong" } });
    expect(await db.callbackRequest.count()).toBe(before);
  });

  it("tries another reference when the first is taken", async () => {
    const first = await queueCallback(db, { phone: "13800000001", language: "zh-CN", source: "staff" }, MONDAY_10);
    if (!first.ok) throw new Error("first failed");
    const refs = [first.reference, first.reference, "CB-2222-2222"];
    const tried: string[] = [];
    const second = await queueCallback(db, { phone: "13800000002", language: "zh-CN", source: "staff" }, MONDAY_10, {
      newReference: () => {
        const ref = refs.shift()!;
        tried.push(ref);
        return ref;
      },
    });
    expect(tried).toEqual([first.reference, first.reference, "CB-2222-2222"]);
    expect(second).toMatchObject({ ok: true, reference: "CB-2222-2222" });
    expect((await db.callbackRequest.findUniqueOrThrow({ where: { reference: "CB-2222-2222" } })).phone).toBe("+8613800000002");
  });

  it("gives up after a few clashes instead of looping for ever", async () => {
    await queueCallback(db, { phone: "13800000003", language: "zh-CN", source: "staff" }, MONDAY_10, { newReference: () => "CB-3333-3333" });
    let calls = 0;
    await expect(
      queueCallback(db, { phone: "13800000004", language: "zh-CN", source: "staff" }, MONDAY_10, {
        newReference: () => {
          calls++;
          return "CB-3333-3333";
        },
      }),
    ).rejects.toMatchObject({ code: "P2002" });
    expect(calls).toBe(5);
  });

  it("uses the holidays it is given for the due time", async () => {
    const result = await queueCallback(db, { phone: "13800000005", language: "zh-CN", source: "web_request" }, sh("2026-12-30T10:00"), {
      holidays: ["2026-12-31", "2027-01-01"],
    });
    expect(result).toMatchObject({ ok: true, dueAt: sh("2027-01-04T17:00") });
  });
});

describe("listCallbacks", () => {
  it("lists one status, soonest due first, then most urgent, with context parsed", async () => {
    await db.callbackRequest.deleteMany();
    const normal = await queueCallback(db, { phone: "13811110001", language: "zh-CN", source: "web_request", context: { a: 1 } }, MONDAY_10);
    const elderly = await queueCallback(db, { phone: "13811110002", language: "zh-CN", source: "web_request", oldestAge: 80 }, sh("2026-11-30T10:00"));
    const urgent = await queueCallback(db, { phone: "13811110003", language: "en", source: "sms", urgent: true }, sh("2026-11-30T10:00"));
    const later = await queueCallback(db, { phone: "13811110004", language: "zh-CN", source: "chat" }, sh("2026-12-01T10:00"));
    const done = await queueCallback(db, { phone: "13811110005", language: "zh-CN", source: "chat" }, MONDAY_10);
    if (!normal.ok || !elderly.ok || !urgent.ok || !later.ok || !done.ok) throw new Error("setup failed");
    await db.callbackRequest.update({ where: { reference: done.reference }, data: { status: "done" } });

    const queued = await listCallbacks(db, { status: "queued" });
    // urgent and elderly are both due 14:00 today: the urgent one (priority 2) comes first.
    expect(queued.map((c) => c.reference)).toEqual([urgent.reference, elderly.reference, normal.reference, later.reference]);
    expect(queued[2]).toMatchObject({ phone: "+8613811110001", language: "zh-CN", source: "web_request", context: { a: 1 }, status: "queued", priority: 0 });
    expect(queued[0]).toMatchObject({ context: {}, urgent: true, priority: 2 });

    expect((await listCallbacks(db, { status: "done" })).map((c) => c.reference)).toEqual([done.reference]);
    expect(await listCallbacks(db, { status: "claimed" })).toEqual([]);
  });
});
