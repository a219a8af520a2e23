// A labelled text input built on React Aria's TextField (label, hint and error
// wired with aria-describedby). The error sits above the input, as GOV.UK does.
import { FieldError, Input, Label, Text, TextField as AriaTextField } from "react-aria-components";
import { useTranslation } from "react-i18next";

export interface TextFieldProps {
  /** also the input's id, the target of the error summary link */
  name: string;
  label: string;
  hint?: string;
  error?: string;
  defaultValue?: string;
  type?: "text" | "tel" | "email";
  inputMode?: "text" | "tel" | "numeric" | "decimal";
  autoComplete?: string;
  /** the field is the page's only question: its label is the page heading */
  isQuestion?: boolean;
  short?: boolean;
  unit?: string;
  maxLength?: number;
}

export function TextField({ name, label, hint, error, defaultValue, type = "text", inputMode, autoComplete, isQuestion, short, unit, maxLength }: TextFieldProps) {
  const { t } = useTranslation("common");
  const labelNode = (
    <Label className={isQuestion ? "label question" : "label"} htmlFor={name}>
      {label}
    </Label>
  );
  const input = (
    <Input
      id={name}
      className={short ? "input-short" : undefined}
      inputMode={inputMode}
      autoComplete={autoComplete}
      maxLength={maxLength}
      spellCheck={false}
    />
  );
  return (
    <AriaTextField
      name={name}
      type={type}
      defaultValue={defaultValue ?? ""}
      isInvalid={Boolean(error)}
      validationBehavior="aria"
      className={error ? "field has-error" : "field"}
    >
      {isQuestion ? <h1 className="question-heading">{labelNode}</h1> : labelNode}
      {hint ? (
        <Text slot="description" className="hint">
          {hint}
        </Text>
      ) : null}
      {error ? (
        // React Aria links this to the input's aria-describedby.
        <FieldError className="error-message">
          <span className="visually-hidden">{t("errorPrefix")}</span>
          {error}
        </FieldError>
      ) : null}
      {unit ? (
        <div className="input-unit">
          {input}
          <span aria-hidden="true">{unit}</span>
        </div>
      ) : (
        input
      )}
    </AriaTextField>
  );
}
