// The resident's follow-up answers on the staff case page (issue 9): per
// referral asked about, whether the help arrived, the score, how they
// answered and their comment. The comment is shown here only: never on a
// public page, in the timeline, a text or the audit log.
import { useTranslation } from "react-i18next";

export interface StaffFollowUpItem {
  referralId: string;
  serviceName: string;
  organisationName: string;
  state: "waiting" | "partial" | "answered" | "no_answer";
  askedAt: string;
  remindedAt: string | null;
  helpArrived: boolean | null;
  satisfaction: number | null;
  comment: string | null;
  channel: string | null;
}

export function FollowUpAnswers({ followUps }: { followUps: StaffFollowUpItem[] | undefined }) {
  const { t } = useTranslation("followup");
  if (!followUps || followUps.length === 0) return null;
  return (
    <section aria-labelledby="followup-answers-heading" className="followup-answers">
      <h2 id="followup-answers-heading">{t("staff.heading")}</h2>
      {followUps.map((f) => (
        <div key={f.referralId} className="followup-item">
          <h3>{t("form.service", { service: f.serviceName, organisation: f.organisationName })}</h3>
          <dl className="summary-list">
            <div className="summary-row">
              <dt>{t("staff.state")}</dt>
              <dd>{t(`staff.states.${f.state}`)}</dd>
            </div>
            <div className="summary-row">
              <dt>{t("staff.asked")}</dt>
              <dd>{f.remindedAt ? t("staff.askedReminded", { asked: f.askedAt, reminded: f.remindedAt }) : f.askedAt}</dd>
            </div>
            {f.helpArrived !== null ? (
              <div className="summary-row">
                <dt>{t("staff.helpArrived")}</dt>
                <dd>{f.helpArrived ? t("form.yes") : t("form.no")}</dd>
              </div>
            ) : null}
            {f.satisfaction !== null ? (
              <div className="summary-row">
                <dt>{t("staff.satisfaction")}</dt>
                <dd>{t(`form.score.${f.satisfaction}`)}</dd>
              </div>
            ) : null}
            {f.channel ? (
              <div className="summary-row">
                <dt>{t("staff.channel")}</dt>
                <dd>{t(`dashboard.channels.${f.channel}`, { defaultValue: f.channel })}</dd>
              </div>
            ) : null}
            {f.comment ? (
              <div className="summary-row">
                <dt>{t("staff.comment")}</dt>
                <dd className="followup-comment-text">{f.comment}</dd>
              </div>
            ) : null}
          </dl>
        </div>
      ))}
    </section>
  );
}
