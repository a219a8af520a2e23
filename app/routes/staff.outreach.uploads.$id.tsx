// /staff/outreach/uploads/:id: one upload's screening (outreach.view): a
// <progress> bar with the same figure in words while it runs, then the
// summary: rows read, malformed rows (the first few with their line numbers
// and why, in plain words), households flagged and leads imported.
//
// Updating without script: a "Refresh" link always; and, only when the person
// asks for it (?auto=1), <meta http-equiv="refresh"> every 5 seconds with a
// "Stop updating" link. Opt-in, because WCAG 2.2.1 wants a page that changes
// on its own to let the person turn that off before it starts (axe's
// meta-refresh rule flags any automatic refresh); it stops by itself when done.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { explainRowProblem } from "~/domain/outreach";
import { formatShanghai } from "~/domain/time/shanghai-format";
import { can } from "~/domain/staff/permissions";
import { getUpload } from "~/models/outreach-upload.server";
import { recordAudit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { isUploadId } from "~/services/outreach-upload.server";
import { requireStaff, staffActor } from "~/services/staff-session.server";

export const handle = { i18n: ["common", "staff", "leads", "outreach"] };

const REFRESH_SECONDS = 5;
const NO_STORE = { "Cache-Control": "private, no-store" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "outreach.view");
  const id = params.id ?? "";
  const upload = isUploadId(id) ? await getUpload(db, id) : null;
  if (!upload) throw new Response(null, { status: 404 });
  const { lng, t } = await translatorFor(request, ["leads", "outreach", "staff", "common"]);
  const running = upload.status === "queued" || upload.status === "running";
  // The summary's malformed-row reasons come from the file: looking at it is on the record (ids and
  // counts only). Progress refreshes show counts alone and would flood the log every 5 seconds.
  if (!running) {
    const { actor, actorName } = staffActor(ctx);
    await recordAudit(db, { actor, actorName, action: "view_outreach_upload", subjectType: "outreach_upload", subjectId: upload.id, detail: { status: upload.status } });
  }
  const screened = upload.status === "done" || upload.households > 0 || upload.flagged > 0;
  // Reading the file is most of the work; storing the leads the rest.
  const percent =
    upload.status === "done"
      ? 100
      : !screened
        ? Math.floor((80 * upload.bytesRead) / Math.max(1, upload.bytes))
        : 80 + Math.floor((20 * upload.imported) / Math.max(1, upload.flagged));
  const auto = running && new URL(request.url).searchParams.get("auto") === "1";
  const here = `/staff/outreach/uploads/${upload.id}`;
  return json(
    {
      pageTitle: `${t("leads:progress.title")} – ${t("staff:layout.console")}`,
      id: upload.id,
      fileName: upload.fileName,
      dataDate: upload.dataDate,
      status: upload.status,
      running,
      screened,
      percent: Math.min(100, Math.max(0, percent)),
      auto,
      refreshHref: auto ? `${here}?auto=1` : here,
      autoHref: `${here}?auto=1`,
      stopHref: here,
      startedAt: formatShanghai(lng, upload.createdAt, "dateTimeLong"),
      rowsRead: upload.rowsRead,
      malformed: upload.malformed,
      sample: upload.malformedSample.map((s) => ({ line: s.line, text: explainRowProblem(t, s.problem) })),
      households: upload.households,
      flagged: upload.flagged,
      imported: upload.imported,
      alreadyThere: upload.status === "done" ? Math.max(0, upload.flagged - upload.imported) : 0,
      error: upload.error,
      listHref: `/staff/outreach?dataDate=${encodeURIComponent(upload.dataDate)}`,
      canWork: can(ctx.staff.role, "outreach.work"),
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.pageTitle ?? "" },
  ...(data?.auto ? [{ httpEquiv: "refresh", content: String(REFRESH_SECONDS) } as const] : []),
];

const ERROR_KEYS = new Set(["recordTooLong", "header", "notUtf8", "fileGone"]);

export default function UploadProgress() {
  const { t } = useTranslation("leads");
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <a href="/staff/outreach/upload" className="back-link">
          {t("progress.back")}
        </a>
      </p>
      <h1>{t("progress.title")}</h1>
      <p>{t("progress.file", { name: d.fileName, date: d.dataDate, at: d.startedAt })}</p>
      <p className="outreach-progress-status" role="status">
        <strong>{t(`uploadStatus.${d.status}`)}</strong>
      </p>
      {d.status !== "failed" ? (
        <div className="outreach-progress">
          <label htmlFor="upload-progress">{d.screened ? t("progress.barImport") : t("progress.barRead")}</label>
          <progress id="upload-progress" max={100} value={d.percent} aria-describedby="upload-progress-text">
            {t("progress.percent", { percent: d.percent })}
          </progress>
          <p id="upload-progress-text">
            {t("progress.percent", { percent: d.percent })}{" "}
            {d.screened ? t("progress.importedSoFar", { imported: d.imported, flagged: d.flagged }) : t("progress.rowsSoFar", { count: d.rowsRead })}
          </p>
        </div>
      ) : (
        <div className="notice" role="alert">
          <p>{t(`progress.errors.${d.error && ERROR_KEYS.has(d.error) ? d.error : "failed"}`)}</p>
        </div>
      )}
      {d.running ? (
        <div className="outreach-refresh">
          <p>{d.auto ? t("progress.autoOn", { seconds: REFRESH_SECONDS }) : t("progress.autoOff")}</p>
          <p>
            <a href={d.refreshHref} className="button secondary">
              {t("progress.refresh")}
            </a>{" "}
            {d.auto ? (
              <a href={d.stopHref} className="outreach-link">
                {t("progress.stopAuto")}
              </a>
            ) : (
              <a href={d.autoHref} className="outreach-link">
                {t("progress.startAuto", { seconds: REFRESH_SECONDS })}
              </a>
            )}
          </p>
        </div>
      ) : null}
      {d.status === "done" || d.status === "failed" ? (
        <section aria-labelledby="summary-heading">
          <h2 id="summary-heading">{t("progress.summary")}</h2>
          <dl className="summary-list">
            <div className="summary-row">
              <dt>{t("progress.rowsRead")}</dt>
              <dd>{d.rowsRead}</dd>
            </div>
            <div className="summary-row">
              <dt>{t("progress.malformed")}</dt>
              <dd>{d.malformed}</dd>
            </div>
            {d.status === "done" ? (
              <>
                <div className="summary-row">
                  <dt>{t("progress.households")}</dt>
                  <dd>{d.households}</dd>
                </div>
                <div className="summary-row">
                  <dt>{t("progress.flagged")}</dt>
                  <dd>{d.flagged}</dd>
                </div>
                <div className="summary-row">
                  <dt>{t("progress.imported")}</dt>
                  <dd>{d.alreadyThere > 0 ? t("progress.importedWithExisting", { imported: d.imported, existing: d.alreadyThere }) : d.imported}</dd>
                </div>
              </>
            ) : null}
          </dl>
          {d.sample.length > 0 ? (
            <>
              <h3>{t("progress.sampleHeading", { shown: d.sample.length, total: d.malformed })}</h3>
              <ul className="outreach-malformed">
                {d.sample.map((s) => (
                  <li key={s.line}>{t("progress.sampleLine", { line: s.line, reason: s.text })}</li>
                ))}
              </ul>
            </>
          ) : null}
          {d.status === "done" ? (
            <p>
              <a href={d.listHref} className="button">
                {t("progress.toList")}
              </a>
            </p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
