// One question page of the check: the right inputs for the step's widget
// (radios, a whole number, an amount with "I don't know", or two counts), the
// Continue button, and the call-back link. A plain form: works without script.
import { useTranslation } from "react-i18next";
import { RadioGroup } from "~/components/form/radio-group";
import { TextField } from "~/components/form/text-field";
import type { Voice, Widget } from "~/domain/check";

export interface QuestionView {
  stepId: string;
  slug: string;
  widget: Widget;
  voice: Voice;
  title: string;
  caption: string;
  actionHref: string;
}

interface Props {
  view: QuestionView;
  values: Record<string, string>;
  errors: Record<string, string>;
}

const DONT_KNOW_FIELD = "dontKnow";

function shortVoice(voice: Voice): "you" | "them" {
  return voice === "you" ? "you" : "them";
}

export function QuestionForm({ view, values, errors }: Props) {
  const { t } = useTranslation("check");
  const { widget, slug } = view;
  const hintKey = `steps.${slug}.hint`;
  const voicedHint = `${hintKey}_${shortVoice(view.voice)}`;
  const hint = t(voicedHint, { defaultValue: "" }) || t(hintKey, { defaultValue: "" }) || undefined;

  let fields: React.ReactNode;
  switch (widget.kind) {
    case "choice":
      fields = (
        <RadioGroup
          name={widget.name}
          legend={view.title}
          hint={hint}
          error={errors[widget.name]}
          defaultValue={values[widget.name]}
          isQuestion
          options={widget.options.map((value) => ({
            value,
            label: slug === "work" ? t(`steps.work.options.${value}_${shortVoice(view.voice)}`) : t(`steps.${slug}.options.${value}`),
          }))}
        />
      );
      break;
    case "wholeNumber":
      fields = (
        <TextField
          name={widget.name}
          label={view.title}
          hint={hint}
          error={errors[widget.name]}
          defaultValue={values[widget.name]}
          inputMode="numeric"
          autoComplete="off"
          maxLength={12}
          short
          isQuestion
          unit={t(widget.name === "age" ? "units.years" : "units.people")}
        />
      );
      break;
    case "amount":
      fields = (
        <TextField
          name={widget.name}
          label={view.title}
          hint={hint}
          error={errors[widget.name]}
          defaultValue={values[widget.name]}
          inputMode="decimal"
          autoComplete="off"
          maxLength={30}
          short
          isQuestion
          unit={t(widget.unit === "squareMetres" ? "units.squareMetres" : "units.yuan")}
        />
      );
      break;
    case "counts":
      fields = (
        <>
          <h1>{view.title}</h1>
          {widget.fields.map((field) => (
            <TextField
              key={field.name}
              name={field.name}
              label={t(`steps.${slug}.${field.name}.label`)}
              hint={t(`steps.${slug}.${field.name}.hint`)}
              error={errors[field.name]}
              defaultValue={values[field.name]}
              inputMode="numeric"
              autoComplete="off"
              maxLength={12}
              short
            />
          ))}
        </>
      );
      break;
  }

  return (
    <form method="post" action={view.actionHref} noValidate key={view.stepId}>
      <p className="caption">{view.caption}</p>
      {fields}
      <div className="button-group">
        <button className="button" type="submit">
          {t("common:continue")}
        </button>
        {widget.kind === "amount" ? (
          <button className="button secondary" type="submit" name={DONT_KNOW_FIELD} value="1">
            {t("dontKnow")}
          </button>
        ) : null}
      </div>
    </form>
  );
}
