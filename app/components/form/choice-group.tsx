// Radios or checkboxes as native inputs in a fieldset: the checked state shows
// without script, and each option is a 44 px target. The first input carries
// the group's name as id so the error summary can link to it.
import { ErrorMessage } from "./error-message";

export interface ChoiceOption {
  value: string;
  label: string;
  hint?: string;
}

export interface ChoiceGroupProps {
  type: "radio" | "checkbox";
  name: string;
  legend: string;
  hint?: string;
  error?: string;
  options: ChoiceOption[];
  isChecked: (value: string) => boolean;
  isQuestion?: boolean;
}

export function ChoiceGroup({ type, name, legend, hint, error, options, isChecked, isQuestion }: ChoiceGroupProps) {
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
              <div className={type === "checkbox" ? "choice checkbox" : "choice"} key={option.value}>
                <input
                  type={type}
                  id={id}
                  name={name}
                  value={option.value}
                  defaultChecked={isChecked(option.value)}
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
