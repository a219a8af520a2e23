// The case in plain words: status and what comes next, what is missing, the
// documents and their status, and the timeline (namespace "case" for the
// status, document and checklist words; "track" for the page's own).
import { useTranslation } from "react-i18next";
import type { TrackCaseData } from "~/routes/track.case";

function timelineText(t: (key: string, values?: Record<string, unknown>) => string, event: TrackCaseData["timeline"][number]): string {
  if (event.type === "status" && event.toStatus) return t("case.timeline.status", { title: t(`case:status.${event.toStatus}.title`) });
  if (event.type === "evidence_received" && event.evidenceType) return t("case.timeline.evidence_received", { name: t(`case:evidence.${event.evidenceType}.name`) });
  if (event.type === "proxy_revoked") return t("case.timeline.proxy_revoked");
  // Issue 9 follow-up ("did you get the help?"): one sentence per step.
  if (["follow_up_asked", "follow_up_reminded", "follow_up_answered", "follow_up_no_answer"].includes(event.type)) return t(`case.timeline.${event.type}`);
  // Issue 9, the assistance plan: one sentence per step.
  if (["plan_proposed", "plan_changed", "plan_agreed", "referral_sent"].includes(event.type)) return t(`case.timeline.${event.type}`);
  return t("case.timeline.other");
}

export function CaseDetails({ data }: { data: TrackCaseData }) {
  const { t } = useTranslation(["track", "case"]);
  return (
    <>
      <dl className="summary-list">
        <div className="summary-row">
          <dt>{t("case.reference")}</dt>
          <dd className="track-reference">{data.reference}</dd>
        </div>
        <div className="summary-row">
          <dt>{t("case.sentOn")}</dt>
          <dd>{data.submittedAt}</dd>
        </div>
        <div className="summary-row">
          <dt>{t("case.idNumber")}</dt>
          <dd>{data.applicantIdNumber}</dd>
        </div>
        <div className="summary-row">
          <dt>{t("case.phone")}</dt>
          <dd>{data.applicantPhone}</dd>
        </div>
        <div className="summary-row">
          <dt>{t("case.youAre")}</dt>
          <dd>{t(`case.role.${data.role}`)}</dd>
        </div>
      </dl>

      <section className="panel track-status" aria-labelledby="status-heading">
        <h2 id="status-heading">{t("case.statusHeading")}</h2>
        <p className="track-status-title">{t(`case:status.${data.status}.title`)}</p>
        <p>{t(`case:status.${data.status}.meaning`)}</p>
        <h3>{t("case.nextHeading")}</h3>
        <p>{t(`case:status.${data.status}.next`)}</p>
      </section>

      <section aria-labelledby="missing-heading">
        <h2 id="missing-heading">{t("case.missingHeading")}</h2>
        {data.missing.length === 0 ? (
          <p>{t("case.missingNone")}</p>
        ) : (
          <ul className="track-missing">
            {data.missing.map((item) => (
              <li key={item.type}>
                <strong>{t(`case:evidence.${item.type}.name`)}</strong>
                <span className="hint">{t(`case:${item.reason}`)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="evidence-heading">
        <h2 id="evidence-heading">{t("case.evidenceHeading")}</h2>
        {data.evidence.length === 0 ? (
          <p>{t("case.evidenceNone")}</p>
        ) : (
          <ul className="track-evidence">
            {data.evidence.map((file) => (
              <li key={file.id}>
                <strong>{t(`case:evidence.${file.type}.name`)}</strong>
                <span className={`tag evidence-${file.status}`}>{t(`case:evidenceStatus.${file.status}`)}</span>
                <span className="hint">
                  {t("case.evidenceDate")}: {file.date}
                </span>
                {file.status === "rejected" && file.rejectReason ? <span>{t("case.rejectedBecause", { reason: file.rejectReason })}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t("case.timelineHeading")}</h2>
        <ol className="track-timeline">
          {data.timeline.map((event, i) => (
            <li key={i}>
              <span className="hint">{event.date}</span> {timelineText(t, event)}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
