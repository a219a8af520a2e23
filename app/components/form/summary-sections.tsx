// GOV.UK "check your answers": each section a heading and a list of answers,
// each with a change link that says, for screen readers, what it changes.
import type { SummarySection } from "~/domain/check/wording";

export function SummarySections({ sections, changeLabel }: { sections: SummarySection[]; changeLabel: string }) {
  return (
    <>
      {sections.map((section) => (
        <div key={section.title}>
          <h2>{section.title}</h2>
          <dl className="summary-list">
            {section.rows.map((row) => (
              <div className="summary-row" key={row.field}>
                <dt>{row.label}</dt>
                <dd>{row.value}</dd>
                <dd className="summary-action">
                  <a href={row.changeHref}>
                    {changeLabel}
                    <span className="visually-hidden"> {row.changeContext}</span>
                  </a>
                </dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </>
  );
}
