// Form fields of the outreach lead page: a radio group (fieldset and legend,
// the first radio's id is the name, so the error summary's link lands on it)
// and a short note. Errors are tied to their field with aria-describedby.
import { useTranslation } from "react-i18next";

export function LeadRadios({
  name,
  legend,
  options,
  error,
  defaultValue,
}: {
  name: string;
  legend: string;
  options: Array<{ value: string; label: string }>;
  error?: string;
  defaultValue?: string;
}) {
  const { t } = useTranslation("common");
  return (
    <div className={error ? "field has-error" : "field"}>
      <fieldset aria-describedby={error ? `${name}-error` : undefined}>
        <legend>{legend}</legend>
        {error ? (
          <p id={`${name}-error`} className="error-message">
            <span className="visually-hidden">{t("errorPrefix")}</span>
            {error}
          </p>
        ) : null}
        <div className="choices">
          {options.map((o, i) => {
            const id = i === 0 ? name : `${name}-${i}`;
            return (
              <div className="choice" key={o.value}>
                <input type="radio" id={id} name={name} value={o.value} defaultChecked={defaultValue === o.value} />
                <label htmlFor={id}>{o.label}</label>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export function LeadNoteField({ id, label, hint, error, max }: { id: string; label: string; hint: string; error?: string; max: number }) {
  const { t } = useTranslation("common");
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={id}>{label}</label>
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
      {error ? (
        <p id={`${id}-error`} className="error-message">
          <span className="visually-hidden">{t("errorPrefix")}</span>
          {error}
        </p>
      ) : null}
      <textarea
        id={id}
        name="note"
        rows={2}
        maxLength={max}
        aria-invalid={error ? true : undefined}
        aria-describedby={[`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ")}
      />
    </div>
  );
}
