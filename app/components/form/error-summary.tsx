// GOV.UK error summary: at the top of the form, each problem a link to its
// field. With script it takes focus so screen readers announce it at once.
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

export interface FieldProblem {
  /** id of the input the link moves focus to */
  field: string;
  message: string;
}

export function ErrorSummary({ problems }: { problems: FieldProblem[] }) {
  const { t } = useTranslation("common");
  const ref = useRef<HTMLDivElement>(null);
  const prefix = t("errorPrefix");
  useEffect(() => {
    if (problems.length === 0) return;
    ref.current?.focus();
    // After a script-driven submit the server-side title mark (form-errors.ts) is not seen.
    if (!document.title.startsWith(prefix)) document.title = `${prefix}${document.title}`;
  }, [problems, prefix]);
  if (problems.length === 0) return null;
  return (
    <div className="error-summary" ref={ref} tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{t("errorSummaryTitle")}</h2>
      <ul>
        {problems.map((p) => (
          <li key={p.field}>
            <a href={`#${p.field}`} onClick={focusField(p.field)}>
              {p.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * With script, move focus without changing the address: a "#field" navigation
 * makes the router drop the answer's error state (and unsent choices). The
 * label or legend is scrolled into view too, as GOV.UK does.
 */
function focusField(id: string) {
  return (event: React.MouseEvent<HTMLAnchorElement>) => {
    const input = document.getElementById(id);
    if (!input) return;
    event.preventDefault();
    const label = input.closest("fieldset")?.querySelector("legend") ?? document.querySelector(`label[for="${CSS.escape(id)}"]`);
    (label ?? input).scrollIntoView();
    input.focus({ preventScroll: true });
  };
}

/** Field errors keyed by input id, in the order the fields appear. */
export type FieldErrors = Record<string, string>;

export function toProblems(errors: FieldErrors | undefined | null): FieldProblem[] {
  return Object.entries(errors ?? {}).map(([field, message]) => ({ field, message }));
}
