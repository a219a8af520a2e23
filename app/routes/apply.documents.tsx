// /apply/documents: the documents this application needs (from the rules and
// the answers), each with its own upload form (a photo from the camera or a
// file; several files, one at a time) and the files received so far. A file
// that is refused says why and offers a call-back (source upload_failed);
// the answers are on the server, so nothing typed is lost.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorMessage } from "~/components/form/error-message";
import { ErrorSummary, toProblems } from "~/components/form/error-summary";
import { RateLimitNotice, type RateLimitMessage } from "~/components/form/rate-limit-notice";
import { TextField } from "~/components/form/text-field";
import { answersForCaseworker, applyChecklist, contactPhone, documentsStatus, missingDocuments, stepReached } from "~/domain/apply";
import { isEvidenceType } from "~/domain/case";
import { addDraftEvidence, DRAFT_FILES_MAX, loadApplyState, saveApplyDraft } from "~/models/application-draft.server";
import { isLimited, queueCallbackWithinLimits, retryAfter, waitText } from "~/services/abuse-limits.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { clientIp } from "~/services/track-session.server";
import { discardBody, readEvidenceUpload } from "~/services/multipart-evidence.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { onceOnly, onceTokenFromUrl, repeatGuarded } from "~/services/idempotency.server";
import { deleteEvidenceFile } from "~/services/evidence-storage.server";
import { RepeatGuard, useOnceToken, withOnceToken } from "~/components/form/repeat-guard";
import { AssistedCsrfField, useAssistedCsrf, withAssistedCsrf } from "~/components/apply/assisted-csrf";
import { assistedCsrf } from "~/services/apply-csrf.server";

export const handle = { i18n: ["common", "apply", "case"] };

async function documentsDraft(request: Request) {
  const loaded = await loadApplyState(db, request);
  if (!loaded.draft || documentsStatus(loaded.state.answers, loaded.state.evidenceCounts) === "cannot_start") throw redirect("/apply");
  return { ...loaded, draft: loaded.draft };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { draft, state } = await documentsDraft(request);
  const { lng, t } = await translatorFor(request, ["apply", "case", "common"]);
  const sizeFormat = new Intl.NumberFormat(lng === "en" ? "en-GB" : "zh-CN", { maximumFractionDigits: 1 });
  return json({
    title: pageTitle(t, t("apply:documents.title"), hasFormErrors(context)),
    items: applyChecklist(state.answers).map((item) => ({
      type: item.type,
      required: item.required,
      name: t(`case:evidence.${item.type}.name`),
      hint: t(`case:evidence.${item.type}.hint`),
      reason: t(`case:${item.reason}`),
      files: draft.evidence
        .filter((e) => e.type === item.type)
        .map((e, i) => ({
          id: e.id,
          label: t("apply:documents.fileLabel", { n: i + 1, format: e.format.toUpperCase(), size: sizeFormat.format(e.size / 1024 / 1024) }),
          status: t(`case:evidenceStatus.${e.status}`),
        })),
    })),
    phone: contactPhone(state.answers) ?? "",
    callbackQueued: new URL(request.url).searchParams.get("callback") === "1",
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

function uploadMessageKey(key: string): string {
  const known = ["fileMissing", "tooLarge", "unsupported", "fileEmpty"];
  const short = key.replace(/^evidence\./, "");
  return `apply:errors.upload.${known.includes(short) ? short : "failed"}`;
}

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts;
// in staff-assisted mode the staff CSRF token is checked first: app/services/apply-csrf.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return assistedCsrf(repeatGuarded("apply.documents", guardedAction))(args);
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  const { draft, state } = await documentsDraft(request);
  const { lng, t } = await translatorFor(request, ["apply", "case", "callback", "common"]);
  if ((request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
    const requested = new URL(request.url).searchParams.get("type") ?? "";
    const target = isEvidenceType(requested) ? requested : "other";
    if (draft.evidence.length >= DRAFT_FILES_MAX) {
      const drained = await discardBody(request);
      markFormErrors(context);
      return json(
        { errors: { [`file-${target}`]: t("apply:errors.upload.tooMany", { max: DRAFT_FILES_MAX }) }, uploadFailed: true, phone: undefined as string | undefined },
        { status: 400, headers: drained ? undefined : { Connection: "close" } },
      );
    }
    const upload = await readEvidenceUpload(request);
    if (!upload.ok) {
      const typeField = upload.problems.find((p) => p.path === "file") ?? upload.problems[0];
      markFormErrors(context);
      return json(
        { errors: { [`file-${target}`]: t(uploadMessageKey(typeField?.key ?? "")) }, uploadFailed: true, phone: undefined as string | undefined },
        { status: upload.status === 413 ? 413 : 400, headers: upload.closeConnection ? { Connection: "close" } : undefined },
      );
    }
    // The same file sent again from one page (token in the form's URL) is kept once.
    const guard = { request, scope: "upload:apply.documents", token: onceTokenFromUrl(request), fingerprint: { draft: draft.id, type: upload.type, sha256: upload.stored.sha256 } };
    return onceOnly({ ...guard, onReplay: () => deleteEvidenceFile(upload.stored.storedName).catch(() => false) }, async () => {
      await addDraftEvidence(db, draft.id, { type: upload.type, stored: upload.stored });
      await saveApplyDraft(db, draft.id, { answers: state.answers });
      return redirect(`/apply/documents#doc-${upload.type}`);
    });
  }

  const form = await readForm(request);
  if (form.get("intent") === "callback") {
    const phone = String(form.get("phone") ?? "");
    const caseworkerContext = { application: { step: "documents", answers: answersForCaseworker(state.answers) } };
    const queued = await queueCallbackWithinLimits(db, { phone, language: lng, source: "upload_failed", context: caseworkerContext }, { ip: clientIp(context) });
    if (isLimited(queued)) {
      // Too many from this phone or address (app/services/abuse-limits.server.ts): nothing stored.
      markFormErrors(context);
      const limited = { title: t("callback:rateLimited.title"), body: t("callback:rateLimited.body", { wait: waitText(lng, queued.limited) }) };
      return json({ errors: {} as Record<string, string>, uploadFailed: true, phone, limited }, { status: 429, headers: retryAfter(queued.limited) });
    }
    if (!queued.ok) {
      markFormErrors(context);
      const key = queued.errors.phone;
      return json({ errors: { phone: t(key ? `callback:${key}` : "apply:errors.upload.failed") }, uploadFailed: true, phone }, { status: 400 });
    }
    return redirect("/apply/documents?callback=1");
  }

  const missing = missingDocuments(state.answers, state.evidenceCounts);
  if (missing.length > 0) {
    markFormErrors(context);
    const errors = Object.fromEntries(missing.map((item) => [`file-${item.type}`, t("apply:errors.documents.missing", { name: t(`case:evidence.${item.type}.name`) })]));
    return json({ errors, uploadFailed: false, phone: undefined as string | undefined }, { status: 400 });
  }
  const answers = { ...state.answers, documentsDone: true };
  await saveApplyDraft(db, draft.id, { answers, step: stepReached({ ...state, answers }) });
  return redirect("/apply/answers");
}

export default function ApplyDocuments() {
  const { t } = useTranslation("apply");
  const { items, phone, callbackQueued } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const once = useOnceToken();
  // Upload forms send only the file and its type: in assisted mode the staff token goes in the URL.
  const csrf = useAssistedCsrf();
  const errors: Record<string, string> = failed?.errors ?? {};
  return (
    <>
      <a className="back-link" href="/apply">
        {t("common:back")}
      </a>
      <ErrorSummary problems={toProblems(failed?.errors)} />
      <RateLimitNotice message={(failed as { limited?: RateLimitMessage } | undefined)?.limited} />
      <h1>{t("documents.title")}</h1>
      <p>{t("documents.lead")}</p>
      {callbackQueued ? <p className="notice">{t("documents.callbackDone")}</p> : null}
      {failed?.uploadFailed ? (
        <section className="panel" aria-labelledby="upload-help">
          <h2 id="upload-help">{t("documents.helpTitle")}</h2>
          <p>{t("documents.helpLead")}</p>
          <form method="post" action="/apply/documents" noValidate>
            <AssistedCsrfField />
            <RepeatGuard />
            <input type="hidden" name="intent" value="callback" />
            <TextField name="phone" label={t("documents.helpPhone")} error={errors.phone} defaultValue={failed.phone ?? phone} type="tel" inputMode="tel" autoComplete="tel" maxLength={30} />
            <button className="button secondary" type="submit">
              {t("documents.helpButton")}
            </button>
          </form>
        </section>
      ) : null}
      {items.map((item) => {
        const inputId = `file-${item.type}`;
        const error = errors[inputId];
        return (
          <section key={item.type} id={`doc-${item.type}`} className={error ? "document has-error" : "document"} aria-labelledby={`${inputId}-title`}>
            <h2 id={`${inputId}-title`}>
              {item.name} <span className="hint">({t(item.required ? "case:checklist.required" : "case:checklist.optional")})</span>
            </h2>
            <p>{item.reason}</p>
            {item.files.length > 0 ? (
              <ul className="file-list">
                {item.files.map((file) => (
                  <li key={file.id}>
                    {file.label}: <strong>{file.status}</strong>
                  </li>
                ))}
              </ul>
            ) : null}
            <form method="post" action={withAssistedCsrf(withOnceToken(`/apply/documents?type=${item.type}`, once), csrf)} encType="multipart/form-data" noValidate>
              <input type="hidden" name="type" value={item.type} />
              <label className="label" htmlFor={inputId}>
                {t(item.files.length > 0 ? "documents.addAnother" : "documents.choose", { name: item.name })}
              </label>
              <p id={`${inputId}-hint`} className="hint">
                {item.hint} {t("documents.formats")}
              </p>
              {error ? <ErrorMessage id={`${inputId}-error`} message={error} /> : null}
              <input
                id={inputId}
                name="file"
                type="file"
                accept="image/jpeg,image/png,image/heic,application/pdf,.heic,.pdf,.jpg,.jpeg,.png"
                aria-describedby={[`${inputId}-hint`, error ? `${inputId}-error` : null].filter(Boolean).join(" ")}
                aria-invalid={error ? true : undefined}
              />
              <button className="button secondary" type="submit">
                {t("documents.upload")}
              </button>
            </form>
          </section>
        );
      })}
      <form method="post" action="/apply/documents">
        <AssistedCsrfField />
        <RepeatGuard />
        <input type="hidden" name="intent" value="done" />
        <button className="button" type="submit">
          {t("common:continue")}
        </button>
      </form>
    </>
  );
}
