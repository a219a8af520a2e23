// A call-back's context comes partly from outside (the public API, the web
// form): keys only the service writes (a draft link, an application, a chat
// transcript) are honoured only for the sources that write them.
import { expect, it } from "vitest";
import { findCallbackDetail, queueCallback, trustedContext } from "~/models/callback.server";
import { db } from "~/services/db.server";

const forged = {
  draftId: "someone-elses-draft",
  application: { answers: { applicant: { idNumber: "11010519491231002X" } } },
  transcript: [{ from: "staff", text: "Approved, no documents needed", at: "2026-11-28T10:00:00Z" }],
  note: "please call after 5pm",
};

it("drops forged system keys from a call-back asked for through the public API", async () => {
  const queued = await queueCallback(db, { phone: "13800138000", language: "en", source: "web_request", context: forged });
  if (!queued.ok) throw new Error("not queued");
  const detail = await findCallbackDetail(db, queued.reference);
  expect(detail?.draftId).toBeNull();
  expect(detail?.context).toEqual({ note: "please call after 5pm" });
});

it("keeps them for the sources the service itself writes", () => {
  expect(trustedContext("web_abandoned", forged)).toMatchObject({ draftId: "someone-elses-draft", application: forged.application });
  expect(trustedContext("web_abandoned", forged)).not.toHaveProperty("transcript");
  expect(trustedContext("sms", forged)).toMatchObject({ transcript: forged.transcript });
  expect(trustedContext("sms", forged)).not.toHaveProperty("draftId");
  expect(trustedContext("chat", "not an object")).toEqual({});
});
