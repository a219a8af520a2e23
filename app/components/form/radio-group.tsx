// Radios as native inputs: checked state shows without script, and each
// option is a 44 px target. The first radio carries the group's name as id so
// the error summary can link to it.
import { ErrorMessage } from "./error-message";

export interface RadioOption {
  value: string;
  label: string;
  hint?: string;
}

export interface RadioGroupProps {
  name: string;
  legend: string;
  hint?: string;
  error?: string;
  options: RadioOption[];
  defaultValue?: string | null;
  isQuestion?: boolean;
}

export function RadioGroup({ name, legend, hint, error, options, defaultValue, isQuestion }: RadioGroupProps) {
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
              <div className="choice" key={option.value}>
                <input
                  type="radio"
                  id={id}
                  name={name}
                  value={option.value}
                  defaultChecked={defaultValue === option.value}
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
