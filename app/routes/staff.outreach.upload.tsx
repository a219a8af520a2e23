// /staff/outreach/upload: a caseworker uploads a departmental CSV
// (outreach.work). A plain multipart form (no script): the CSRF field and the
// data date come before the file, the file streams to disk and is checked as
// it comes (CSV name, UTF-8 text, the rule book's header, at most 200 MB; see
// app/services/outreach-upload.server.ts). A refused file answers 400, 413
// or 415 with the reason on this page; a good one becomes an OutreachUpload,
// is screened in the background, and the browser goes to its progress page.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems, type FieldErrors } from "~/components/form/error-summary";
import { CsrfInput } from "~/components/staff/csrf-input";
import { shanghaiDate } from "~/domain/callback";
import { compiledParametersFor, isValidIsoDate, NoRulesInForceError } from "~/domain/eligibility";
import { COLUMNS } from "~/domain/outreach";
import { formatShanghai } from "~/domain/time/shanghai-format";
import { createUpload, recentUploads } from "~/models/outreach-upload.server";
import { recordAudit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { deleteUploadFile, OUTREACH_UPLOAD_MAX_BYTES, queueOutreachScreening, readOutreachUpload } from "~/services/outreach-upload.server";
import { requireStaff, requireStaffAction, staffActor } from "~/services/staff-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { readForm } from "~/services/form-body.server";
import { onceOnly, onceTokenFromUrl } from "~/services/idempotency.server";
import { useOnceToken, withOnceToken } from "~/components/form/repeat-guard";

export const handle = { i18n: ["common", "staff", "leads"] };

const NO_STORE = { "Cache-Control": "private, no-store" };
const MAX_MB = OUTREACH_UPLOAD_MAX_BYTES / (1024 * 1024);

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, "outreach.work");
  const { lng, t } = await translatorFor(request, ["leads", "staff", "common"]);
  const uploads = await recentUploads(db);
  return json(
    {
      pageTitle: `${hasFormErrors(context) ? t("common:errorPrefix") : ""}${t("leads:upload.title")} – ${t("staff:layout.console")}`,
      today: shanghaiDate(new Date()),
      columns: COLUMNS.join(", "),
      maxMb: MAX_MB,
      uploads: uploads.map((u) => ({ id: u.id, fileName: u.fileName, status: u.status, dataDate: u.dataDate, flagged: u.flagged, at: formatShanghai(lng, u.createdAt, "dateTimeLong") })),
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

interface UploadActionData {
  errors: FieldErrors;
  dataDate: string;
}

/** The data date's problem, or null: a real date with rules in force. */
function dateProblem(t: TFunction, value: string): string | null {
  if (!isValidIsoDate(value)) return t("leads:upload.errors.dataDate");
  try {
    compiledParametersFor(value);
    return null;
  } catch (error) {
    if (error instanceof NoRulesInForceError) return t("leads:upload.errors.noRules", { earliest: error.earliest });
    return t("leads:upload.errors.dataDate");
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  // Who and may they, before a byte of the body is read.
  const ctx = await requireStaff(request, "outreach.work");
  const { t } = await translatorFor(request, ["leads", "common"]);
  const contentType = (request.headers.get("content-type") ?? "").toLowerCase();
  if (!contentType.startsWith("multipart/form-data")) {
    // Not from our form (it sends multipart): the token is still checked first.
    const form = await readForm(request);
    await requireStaffAction(request, form, "outreach.work");
    markFormErrors(context);
    return json<UploadActionData>({ errors: { file: t("leads:upload.errors.fileMissing") }, dataDate: "" }, { status: 400, headers: NO_STORE });
  }
  const result = await readOutreachUpload(request, { expectedCsrf: ctx.csrfToken });
  // The authoritative check (a forged post never got its file written). A
  // post refused by its declared size was not read at all, token included:
  // it changed nothing, and the person needs to hear "too large", not "forbidden".
  const unread = !result.ok && result.csrf === null && result.problem.key === "tooLarge";
  if (!unread) {
    const checked = new FormData();
    checked.set("csrf", result.csrf ?? "");
    try {
      await requireStaffAction(request, checked, "outreach.work");
    } catch (thrown) {
      if (result.ok) await deleteUploadFile(result.id);
      throw thrown;
    }
  }
  const dataDate = result.dataDate || shanghaiDate(new Date());
  const errors: FieldErrors = {};
  const badDate = dateProblem(t, dataDate);
  if (badDate) errors.dataDate = badDate;
  if (!result.ok) errors.file = t(`leads:upload.errors.${result.problem.key}`, { ...result.problem.values, max: MAX_MB });
  if (!result.ok || badDate) {
    if (result.ok) await deleteUploadFile(result.id);
    markFormErrors(context);
    const status = result.ok ? 400 : result.status;
    const headers: Record<string, string> = { ...NO_STORE, ...(!result.ok && result.closeConnection ? { Connection: "close" } : {}) };
    return json<UploadActionData>({ errors, dataDate }, { status, headers });
  }
  // The same file sent again from one page (token in the form's URL) is screened once.
  const guard = { request, scope: "upload:staff.outreach.upload", token: onceTokenFromUrl(request), fingerprint: { staff: ctx.staff.id, file: result.fileName, bytes: result.bytes, dataDate } };
  return onceOnly({ ...guard, onReplay: () => deleteUploadFile(result.id) }, async () => {
    await createUpload(db, { id: result.id, uploadedById: ctx.staff.id, fileName: result.fileName, bytes: result.bytes, dataDate });
    const { actor, actorName } = staffActor(ctx);
    await recordAudit(db, { actor, actorName, action: "outreach_upload", subjectType: "outreach_upload", subjectId: result.id, detail: { bytes: result.bytes, dataDate } });
    void queueOutreachScreening(result.id);
    return redirect(`/staff/outreach/uploads/${result.id}`, { status: 303, headers: NO_STORE });
  });
}

export default function OutreachUploadPage() {
  const { t } = useTranslation("leads");
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as UploadActionData | undefined;
  // The body is streamed to disk, so the repeat token rides in the URL.
  const once = useOnceToken();
  const errors = answer?.errors ?? {};
  return (
    <>
      <p>
        <a href="/staff/outreach" className="back-link">
          {t("upload.back")}
        </a>
      </p>
      <ErrorSummary problems={toProblems(errors)} />
      <h1>{t("upload.title")}</h1>
      <p>{t("upload.lead")}</p>
      <form method="post" action={withOnceToken("/staff/outreach/upload", once)} encType="multipart/form-data" className="outreach-upload-form">
        {/* The token and the date come before the file: the server checks the token before it writes the file. */}
        <CsrfInput />
        <div className={errors.dataDate ? "field has-error" : "field"}>
          <label htmlFor="dataDate">{t("upload.dataDate")}</label>
          <p id="dataDate-hint" className="hint">
            {t("upload.dataDateHint", { today: data.today })}
          </p>
          {errors.dataDate ? (
            <p id="dataDate-error" className="error-message">
              <span className="visually-hidden">{t("common:errorPrefix")}</span>
              {errors.dataDate}
            </p>
          ) : null}
          <input
            id="dataDate"
            name="dataDate"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            defaultValue={answer?.dataDate || data.today}
            maxLength={10}
            aria-invalid={errors.dataDate ? true : undefined}
            aria-describedby={errors.dataDate ? "dataDate-hint dataDate-error" : "dataDate-hint"}
          />
        </div>
        <div className={errors.file ? "field has-error" : "field"}>
          <label htmlFor="file">{t("upload.file")}</label>
          <p id="file-hint" className="hint">
            {t("upload.fileHint", { max: data.maxMb })}
          </p>
          <p id="file-columns" className="hint outreach-columns">
            {t("upload.columns", { columns: data.columns })}
          </p>
          {errors.file ? (
            <p id="file-error" className="error-message">
              <span className="visually-hidden">{t("common:errorPrefix")}</span>
              {errors.file}
            </p>
          ) : null}
          <input
            id="file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            aria-invalid={errors.file ? true : undefined}
            aria-describedby={errors.file ? "file-hint file-columns file-error" : "file-hint file-columns"}
          />
        </div>
        <button type="submit" className="button">
          {t("upload.submit")}
        </button>
      </form>
      <h2>{t("upload.recent")}</h2>
      {data.uploads.length === 0 ? (
        <p>{t("upload.noneYet")}</p>
      ) : (
        <ul className="outreach-uploads">
          {data.uploads.map((u) => (
            <li key={u.id}>
              <a href={`/staff/outreach/uploads/${u.id}`}>{t("upload.recentItem", { name: u.fileName, date: u.dataDate, at: u.at })}</a> {t(`uploadStatus.${u.status}`)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
