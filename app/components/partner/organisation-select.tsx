// The organisation a partner account (or a partner token) belongs to: a
// native <select> (works without script) with label, hint and error tied to
// it, id = name so the error summary can link to it. Used on the admin pages.
import { ErrorMessage } from "~/components/form/error-message";

export interface OrganisationSelectProps {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  /** the first option, value "" */
  noneLabel: string;
  organisations: ReadonlyArray<{ id: string; name: string; district: string }>;
  defaultValue?: string | null;
}

export function OrganisationSelect({ name, label, hint, error, noneLabel, organisations, defaultValue }: OrganisationSelectProps) {
  const describedBy = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field has-error" : "field"}>
      <label className="label" htmlFor={name}>
        {label}
      </label>
      {hint ? (
        <p id={`${name}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? <ErrorMessage id={`${name}-error`} message={error} /> : null}
      <select id={name} name={name} className="organisation-select" defaultValue={defaultValue ?? ""} aria-describedby={describedBy} aria-invalid={error ? true : undefined}>
        <option value="">{noneLabel}</option>
        {organisations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.district})
          </option>
        ))}
      </select>
    </div>
  );
}
