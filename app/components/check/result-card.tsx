// One programme on the check's results page: outcome tag, amount, plain
// reasons, what would change the answer and what to do next.
import { useTranslation } from "react-i18next";

export interface ResultView {
  program: string;
  outcome: "eligible" | "not_eligible" | "needs_review";
  name: string;
  description: string;
  outcomeLabel: string;
  amountText: string | null;
  reasons: { text: string; passed: boolean }[];
  changes: string[];
}

export function ResultCard({ result }: { result: ResultView }) {
  const { t } = useTranslation("check");
  const id = `result-${result.program}`;
  return (
    <section className="result" id={id} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{result.name}</h3>
      <p>
        <strong className={`tag ${result.outcome}`}>{result.outcomeLabel}</strong>
      </p>
      {result.amountText ? <p className="amount">{result.amountText}</p> : null}
      <p>{result.description}</p>
      {result.reasons.length > 0 ? (
        <>
          <h4>{t("results.why")}</h4>
          <ul className="reasons">
            {result.reasons.map((reason, i) => (
              <li key={i} className={reason.passed ? "passed" : "failed"}>
                {reason.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {result.changes.length > 0 ? (
        <>
          <h4>{t("results.whatWouldChange")}</h4>
          <ul>
            {result.changes.map((change, i) => (
              <li key={i}>{change}</li>
            ))}
          </ul>
        </>
      ) : null}
      {result.outcome !== "not_eligible" ? (
        <>
          <h4>{t("results.nextTitle")}</h4>
          <p>{t(`results.next.${result.outcome}`)}</p>
          <ul className="link-list">
            <li>
              <a href="/apply">
                {t("results.applyLink")}
                <span className="visually-hidden"> {result.name}</span>
              </a>
            </li>
            <li>
              <a href="#callback">{t("results.callbackLink")}</a>
            </li>
          </ul>
        </>
      ) : null}
    </section>
  );
}
