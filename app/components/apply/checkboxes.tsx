// Native checkboxes in a fieldset (work without script, 44 px targets). The
// first box carries the group's name as id so the error summary can link to it.
import { ErrorMessage } from "~/components/form/error-message";

export interface CheckboxOption {
  value: string;
  label: string;
  hint?: string;
}

interface Props {
  name: string;
  legend: string;
  hint?: string;
  error?: string;
  options: CheckboxOption[];
  checked: readonly string[];
  isQuestion?: boolean;
}

export function Checkboxes({ name, legend, hint, error, options, checked, isQuestion }: Props) {
  const describedBy = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field has-error" : "field"}>
      <fieldset aria-describedby={describedBy}>
        <legend className={isQuestion ? "question" : undefined}>{isQuestion ? <h1 className="question-heading">{legend}</h1> : legend}</legend>
        {hint ? (
          <p id={`${name}-hint`} className="hint">
            {hint}
          </p>
        ) : null}
        {error ? <ErrorMessage id={`${name}-error`} message={error} /> : null}
        <div className="choices">
          {options.map((option, i) => {
            const id = i === 0 ? name : `${name}-${i}`;
            return (
              <div className="choice checkbox" key={option.value}>
                <input
                  type="checkbox"
                  id={id}
                  name={name}
                  value={option.value}
                  defaultChecked={checked.includes(option.value)}
                  aria-describedby={option.hint ? `${id}-hint` : undefined}
                />
                <label htmlFor={id}>
                  {option.label}
                  {option.hint ? (
                    <span id={`${id}-hint`} className="hint choice-hint">
                      {option.hint}
                    </span>
                  ) : null}
                </label>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
