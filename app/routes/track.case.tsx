// /track/case: the signed-in case in plain words: where it is and what comes
// next, what is missing, the documents sent and their status, the timeline;
// upload more (multipart, works without script), ask for a call back, stop the
// application, and for the applicant who else sees it (with "stop them").
// The case comes from the signed session only, never from the URL.
// Issue 6: a case that began from outreach says so and which data triggered
// it (the flags in plain words with their figures); the applicant may ask not
// to be screened again (intent optOut, answered on this page: 200 with a
// confirmation, safe to send twice).
//
// Uploads post multipart here (only `type` and `file`); everything else posts
// a form with an `intent`. A refused upload answers 400/413/415 with a plain
// message on this page and an offer of a call back (source upload_failed).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems, type FieldErrors } from "~/components/form/error-summary";
import { RateLimitNotice, type RateLimitMessage } from "~/components/form/rate-limit-notice";
import { CaseDetails } from "~/components/track/case-details";
import { ResidentPlan, residentPlanData } from "~/components/plan/resident-plan";
import { agreedPlanOf } from "~/models/plan.server";
import { FollowUpSection } from "~/components/plan/follow-up-form";
import { residentFollowUps } from "~/models/follow-up.server";
import { CaseHelp } from "~/components/track/case-help";
import { UploadForm } from "~/components/track/upload-form";
import { maskPhone } from "~/domain/callback";
import { canWithdraw, isFinal } from "~/domain/case";
import type { Language } from "~/i18n";
import { addEvidenceRecord } from "~/models/application.server";
import { explainOutreachReason } from "~/domain/outreach";
import { optOutOfScreening, revokeProxy, type ResidentCaseView } from "~/models/tracked-case.server";
import { isLimited, queueCallbackWithinLimits, retryAfter, waitText } from "~/services/abuse-limits.server";
import { db } from "~/services/db.server";
import { deleteEvidenceFile } from "~/services/evidence-storage.server";
import { translatorFor } from "~/services/i18n.server";
import { discardBody, readEvidenceUpload } from "~/services/multipart-evidence.server";
import { clientIp, commitTrackSession, requireTrackedCase, signOut, type TrackNotice, type TrackSession } from "~/services/track-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { onceOnly, onceTokenFromUrl, repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";

export const handle = { i18n: ["common", "track", "case", "invite", "outreach", "followup"] };

const NO_STORE = { "Cache-Control": "private, no-store" };

/** British English dates (29 November 2026, 14:05), as elsewhere in the service. */
function locale(lng: Language): string {
  return lng === "en" ? "en-GB" : "zh-CN";
}

function formatter(lng: Language, withTime: boolean): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale(lng), withTime ? { dateStyle: "long", timeStyle: "short", timeZone: "Asia/Shanghai" } : { dateStyle: "long", timeZone: "Asia/Shanghai" });
}

/** What the page shows, with dates already in words (server and browser agree). */
function pageData(view: ResidentCaseView, lng: Language, expiresAt: number, phone: string) {
  const long = formatter(lng, true);
  const time = new Intl.DateTimeFormat(locale(lng), { timeStyle: "short", timeZone: "Asia/Shanghai" });
  return {
    reference: view.reference,
    status: view.status,
    role: view.role,
    submittedAt: formatter(lng, false).format(view.submittedAt),
    applicantIdNumber: view.applicantIdNumber,
    applicantPhone: view.applicantPhone,
    proxy: view.proxy,
    evidence: view.evidence.map((e) => ({ id: e.id, type: e.type, status: e.status, rejectReason: e.rejectReason, date: long.format(e.createdAt) })),
    timeline: view.timeline.map((e) => ({ type: e.type, toStatus: e.toStatus, evidenceType: e.evidenceType, date: long.format(e.at) })),
    missing: view.missing.map((m) => ({ type: m.type, reason: m.reason })),
    canWithdraw: canWithdraw(view.status),
    canUpload: !isFinal(view.status),
    signedInUntil: time.format(new Date(expiresAt)),
    /** The signed-in number, masked: the call-back goes to it unless another is given. */
    signedInPhone: maskPhone(phone),
  };
}

export type TrackCaseData = ReturnType<typeof pageData>;

async function withCookie(session: TrackSession, init: { status?: number; headers?: Record<string, string> } = {}) {
  return { ...init, headers: { ...NO_STORE, ...init.headers, "Set-Cookie": await commitTrackSession(session) } };
}

/** Where the case came from (outreach) in words, and whether the applicant may still opt out of screening. */
function screeningData(view: ResidentCaseView, t: Parameters<typeof explainOutreachReason>[0]) {
  return {
    outreach: view.outreach ? { dataDate: view.outreach.dataDate, reasons: view.outreach.reasons.map((r) => explainOutreachReason(t, r)) } : null,
    optedOut: view.optedOut,
    mayOptOut: view.role === "applicant",
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { lng, t } = await translatorFor(request, ["track", "common", "outreach", "invite"]);
  const { session, tracked, view } = await requireTrackedCase(request, db);
  const notice = session.get("notice") ?? null;
  return json(
    {
      ...pageData(view, lng, tracked.expiresAt, tracked.phone),
      screening: screeningData(view, t),
      residentPlan: residentPlanData(await agreedPlanOf(db, view.id), t, lng), // issue 9: the agreed plan in plain words
      followUps: await residentFollowUps(db, view.id), // issue 9: "did you get the help?"
      notice,
      pageTitle: pageTitle(t, t("track:case.title"), hasFormErrors(context)),
    },
    await withCookie(session),
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

async function back(session: TrackSession, notice: TrackNotice | null) {
  if (notice) session.flash("notice", notice);
  return redirect("/track/case", await withCookie(session, { status: 303 }));
}

const UPLOAD_MESSAGE_KEYS = new Set(["tooLarge", "unsupported", "fileEmpty", "fileMissing", "typeMissing", "typeInvalid"]);

export type TrackCaseAction = {
  errors: FieldErrors;
  uploadFailed: boolean;
  callbackPhone?: string;
  /** "Don't check my records again" was recorded just now */
  optedOut?: boolean;
  /** a call-back over the abuse limits (429): nothing was stored */
  limited?: RateLimitMessage;
};

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("track.case", guardedAction)(args);
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  const { lng, t } = await translatorFor(request, ["track", "common"]);
  const isUpload = (request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
  let signedIn: Awaited<ReturnType<typeof requireTrackedCase>>;
  try {
    signedIn = await requireTrackedCase(request, db);
  } catch (thrown) {
    // Signed out while choosing a file: the file is not read, let alone kept.
    if (isUpload) await discardBody(request);
    throw thrown;
  }
  const { session, tracked, view } = signedIn;
  const actor = tracked.role === "applicant" ? "resident" : "proxy";

  if (isUpload) {
    if (!pageData(view, lng, tracked.expiresAt, tracked.phone).canUpload) {
      await discardBody(request);
      return back(session, null);
    }
    const upload = await readEvidenceUpload(request);
    if (upload.ok) {
      // The same file sent again from one page (token in the form's URL) is kept once.
      const guard = { request, scope: "upload:track.case", token: onceTokenFromUrl(request), fingerprint: { case: view.id, type: upload.type, sha256: upload.stored.sha256 } };
      return onceOnly({ ...guard, onReplay: () => deleteEvidenceFile(upload.stored.storedName).catch(() => false) }, async () => {
        try {
          await addEvidenceRecord(db, { applicationId: view.id, type: upload.type, stored: upload.stored, actor });
        } catch (error) {
          await deleteEvidenceFile(upload.stored.storedName).catch(() => undefined);
          throw error;
        }
        return back(session, { kind: "uploaded" });
      });
    }
    const errors: FieldErrors = {};
    for (const problem of upload.problems) {
      const key = problem.key.replace(/^evidence\./, "");
      const field = problem.path === "type" ? "type" : "file";
      errors[field] ??= t(`track:case.uploadErrors.${UPLOAD_MESSAGE_KEYS.has(key) ? key : "other"}`);
    }
    markFormErrors(context);
    // The file's own problem decides the status (413 too large, 415 not a document), as for the API.
    const body: TrackCaseAction = { errors: orderUploadErrors(errors), uploadFailed: true };
    return json(body, await withCookie(session, { status: upload.status, headers: upload.closeConnection ? { Connection: "close" } : {} }));
  }

  const form = await readForm(request);
  const intent = form.get("intent");
  switch (intent) {
    case "extend":
      return back(session, { kind: "extended" });
    case "signOut":
      signOut(session);
      return redirect("/track", await withCookie(session, { status: 303 }));
    case "optOut": {
      if (tracked.role !== "applicant") return back(session, null);
      const done = await optOutOfScreening(db, view.id);
      const body: TrackCaseAction = { errors: {}, uploadFailed: false, optedOut: done };
      return json(body, await withCookie(session));
    }
    case "revokeProxy": {
      if (tracked.role !== "applicant") return back(session, null);
      const done = await revokeProxy(db, view.id);
      return back(session, done ? { kind: "proxyRevoked" } : null);
    }
    case "callback":
    case "uploadCallback": {
      const rawPhone = form.get("callbackPhone");
      const phone = typeof rawPhone === "string" ? rawPhone : "";
      const upload = intent === "uploadCallback";
      const callTo = upload || phone.trim() === "" ? tracked.phone : phone;
      const result = await queueCallbackWithinLimits(db, {
        phone: callTo,
        language: lng,
        source: upload ? "upload_failed" : "web_request",
        context: {
          application: { reference: view.reference, status: view.status, role: tracked.role },
          ...(upload ? { upload: { failed: true, documentsSoFar: view.evidence.length } } : {}),
        },
      }, { ip: clientIp(context) });
      if (result.ok) return back(session, { kind: "callback", reference: result.reference });
      markFormErrors(context);
      if (isLimited(result)) {
        const limited = { title: t("callback:rateLimited.title"), body: t("callback:rateLimited.body", { wait: waitText(lng, result.limited) }) };
        const body: TrackCaseAction = { errors: {}, uploadFailed: false, callbackPhone: phone, limited };
        return json(body, await withCookie(session, { status: 429, headers: retryAfter(result.limited) }));
      }
      const body: TrackCaseAction = { errors: { callbackPhone: t("track:case.callbackErrors.phone") }, uploadFailed: false, callbackPhone: phone };
      return json(body, await withCookie(session, { status: 400 }));
    }
    default:
      return back(session, null);
  }
}

/** The error summary lists problems in page order: the type comes before the file. */
function orderUploadErrors(errors: FieldErrors): FieldErrors {
  const ordered: FieldErrors = {};
  for (const field of ["type", "file"]) if (errors[field]) ordered[field] = errors[field];
  return ordered;
}

export default function TrackCase() {
  const { t } = useTranslation("track");
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as TrackCaseAction | undefined;
  const errors = actionData?.errors ?? {};
  const notice = data.notice;
  return (
    <>
      <ErrorSummary problems={toProblems(errors)} />
      <RateLimitNotice message={actionData?.limited} />
      {notice ? (
        <p className="notice" role="status">
          {notice.kind === "callback" ? t("case.notice.callback", { reference: notice.reference }) : t(`case.notice.${notice.kind}`)}
        </p>
      ) : null}
      {actionData?.optedOut ? (
        <p className="notice" role="status">
          {t("invite:caseOptOut.done")}
        </p>
      ) : null}
      <h1>{t("case.title")}</h1>
      <CaseDetails data={data} />
      <ResidentPlan plan={data.residentPlan} />
      <FollowUpSection followUps={data.followUps} />
      <ScreeningSection screening={data.screening} justOptedOut={actionData?.optedOut ?? false} />
      {data.canUpload ? <UploadForm data={data} errors={errors} uploadFailed={actionData?.uploadFailed ?? false} /> : null}
      <CaseHelp data={data} errors={errors} callbackPhone={actionData?.callbackPhone} />
      <section className="track-session" aria-labelledby="session-heading">
        <h2 id="session-heading" className="visually-hidden">
          {t("case.moreTime")}
        </h2>
        <p>{t("case.session", { time: data.signedInUntil })}</p>
        <Form method="post" className="track-actions">
          <button type="submit" name="intent" value="extend" className="button secondary">
            {t("case.moreTime")}
          </button>
          <button type="submit" name="intent" value="signOut" className="button secondary">
            {t("case.signOut")}
          </button>
        </Form>
      </section>
    </>
  );
}

/** Why we contacted you (a case that began from outreach), and "don't check my records again". */
function ScreeningSection({ screening, justOptedOut }: { screening: ReturnType<typeof screeningData> | undefined; justOptedOut: boolean }) {
  const { t } = useTranslation("invite");
  if (!screening) return null;
  return (
    <>
      {screening.outreach ? (
        <section aria-labelledby="outreach-heading" className="track-outreach">
          <h2 id="outreach-heading">{t("case.heading")}</h2>
          <p>{t("case.began", { date: screening.outreach.dataDate })}</p>
          {screening.outreach.reasons.length > 0 ? (
            <>
              <p>{t("case.because")}</p>
              <ul>
                {screening.outreach.reasons.map((text, i) => (
                  <li key={i}>{text}</li>
                ))}
              </ul>
            </>
          ) : null}
          <p>{t("case.wrongFigures")}</p>
        </section>
      ) : null}
      {screening.mayOptOut ? (
        <section aria-labelledby="optout-heading" className="track-optout">
          <h2 id="optout-heading">{t("caseOptOut.heading")}</h2>
          {screening.optedOut || justOptedOut ? (
            <p>{t("caseOptOut.already")}</p>
          ) : (
            <>
              <p>{t("caseOptOut.body")}</p>
              <Form method="post">
                <RepeatGuard />
                <button type="submit" name="intent" value="optOut" className="button secondary">
                  {t("optOut.button")}
                </button>
              </Form>
            </>
          )}
        </section>
      ) : null}
    </>
  );
}
