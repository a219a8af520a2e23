// The dashboard's referral section (issue 9): referrals by state, the share
// delivered, and residents' satisfaction by programme, service and answer
// channel, in captioned tables (every figure can be read aloud), with the
// CSV download of the same figures.
import { useTranslation } from "react-i18next";

interface Satisfaction {
  answers: number;
  average: number | null;
}

export interface ReferralFiguresData {
  byState: Array<{ state: string; count: number }>;
  total: number;
  delivered: number;
  deliveredPercent: number | null;
  overall: Satisfaction;
  byProgramme: Array<{ program: string; label: string } & Satisfaction>;
  byService: Array<{ serviceId: string; service: string; organisation: string } & Satisfaction>;
  byCaseChannel: Array<{ channel: string } & Satisfaction>;
  byChannel: Array<{ channel: string } & Satisfaction>;
}

export function ReferralFiguresSection({ figures }: { figures: ReferralFiguresData | undefined }) {
  const { t } = useTranslation("followup");
  if (!figures) return null;
  return (
    <section aria-labelledby="referral-figures-heading" className="referral-figures">
      <h2 id="referral-figures-heading">{t("dashboard.title")}</h2>
      {figures.total === 0 ? (
        <p>{t("dashboard.noReferrals")}</p>
      ) : (
        <>
          <table className="queue-table dashboard-figures">
            <caption>{t("dashboard.byStateCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("dashboard.state")}</th>
                <th scope="col">{t("dashboard.count")}</th>
              </tr>
            </thead>
            <tbody>
              {figures.byState.map((row) => (
                <tr key={row.state}>
                  <th scope="row">{t(`dashboard.states.${row.state}`, { defaultValue: row.state })}</th>
                  <td>{row.count}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t("dashboard.total")}</th>
                <td>{figures.total}</td>
              </tr>
            </tfoot>
          </table>
          <p>{t("dashboard.shareDelivered", { percent: figures.deliveredPercent ?? 0, delivered: figures.delivered, total: figures.total })}</p>
        </>
      )}
      <h3>{t("dashboard.satisfaction")}</h3>
      {figures.overall.answers === 0 ? (
        <p>{t("dashboard.noAnswers")}</p>
      ) : (
        <>
          <p>{t("dashboard.satisfactionLead")}</p>
          <SatisfactionTable caption={t("dashboard.byProgramme")} rows={figures.byProgramme.map((r) => ({ ...r, key: r.program }))} />
          <SatisfactionTable
            caption={t("dashboard.byService")}
            rows={figures.byService.map((r) => ({ key: r.serviceId, label: t("dashboard.serviceName", { service: r.service, organisation: r.organisation }), ...r }))}
          />
          <SatisfactionTable
            caption={t("dashboard.byCaseChannel")}
            rows={figures.byCaseChannel.map((r) => ({ key: r.channel, label: t(`dashboard.caseChannels.${r.channel}`, { defaultValue: r.channel }), ...r }))}
          />
          <SatisfactionTable caption={t("dashboard.byChannel")} rows={figures.byChannel.map((r) => ({ key: r.channel, label: t(`dashboard.channels.${r.channel}`, { defaultValue: r.channel }), ...r }))} />
        </>
      )}
      <p>
        <a href="/staff/dashboard/referrals.csv" download>
          {t("dashboard.download")}
        </a>
      </p>
    </section>
  );
}

function SatisfactionTable({ caption, rows }: { caption: string; rows: Array<{ key: string; label: string } & Satisfaction> }) {
  const { t } = useTranslation("followup");
  return (
    <table className="queue-table dashboard-figures">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("dashboard.group")}</th>
          <th scope="col">{t("dashboard.average")}</th>
          <th scope="col">{t("dashboard.answers")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.label}</th>
            <td>{row.average === null ? t("dashboard.noAverage") : row.average.toFixed(1)}</td>
            <td>{row.answers}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
