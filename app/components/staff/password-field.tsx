// A labelled password input (the shared TextField has no password type): the
// error above the input, linked with aria-describedby, as elsewhere.
import { useTranslation } from "react-i18next";

export function PasswordField({
  name,
  label,
  hint,
  error,
  autoComplete,
}: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  autoComplete: "current-password" | "new-password";
}) {
  const { t } = useTranslation("common");
  const hintId = `${name}-hint`;
  const errorId = `${name}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field has-error" : "field"}>
      <label className="label" htmlFor={name}>
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="error-message">
          <span className="visually-hidden">{t("errorPrefix")}</span>
          {error}
        </p>
      ) : null}
      <input
        id={name}
        name={name}
        type="password"
        className="input-password"
        autoComplete={autoComplete}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
    </div>
  );
}
