// A labelled native <select> with hint and error wired by aria-describedby
// (works without script); the select's id is the target of the error summary.
import { ErrorMessage } from "~/components/form/error-message";

export interface SelectFieldProps {
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: string;
  placeholder: string;
  options: Array<{ value: string; label: string }>;
  defaultValue?: string;
}

export function SelectField({ id, name, label, hint, error, placeholder, options, defaultValue }: SelectFieldProps) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? <ErrorMessage id={`${id}-error`} message={error} /> : null}
      <select id={id} name={name} className="plan-select" defaultValue={defaultValue ?? ""} aria-invalid={error ? true : undefined} aria-describedby={describedBy}>
        <option value="">{placeholder}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
