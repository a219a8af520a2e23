// The follow-up question on /track/case (issue 9), one form per referral we
// asked about: did the help arrive (yes/no), how happy (1–5), an optional
// comment; posted to /track/follow-up, which shows the form again with its
// errors (400) or comes back here. Native radios and a textarea: it works
// without script. Answered ones say thank you and what was said, never the
// comment (it is for the caseworker only). Field ids carry the referral id,
// so several forms on one page never share an id.
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorMessage } from "~/components/form/error-message";
import { RepeatGuard } from "~/components/form/repeat-guard";

/** Kept in step with COMMENT_MAX in app/domain/follow-up/answers.ts (not imported: the browser bundle needs no domain code). */
const COMMENT_MAX = 500;

export interface FollowUpItem {
  referralId: string;
  serviceName: string;
  organisationName: string;
  state: "open" | "answered";
  helpArrived: boolean | null;
  satisfaction: number | null;
}

export interface FollowUpFormValues {
  helpArrived?: string;
  satisfaction?: string;
  comment?: string;
}

/** Input ids of one referral's form (targets of the error summary). */
export function followUpFieldId(referralId: string, field: "helpArrived" | "satisfaction" | "comment"): string {
  return `followup-${referralId}-${field}`;
}

export function FollowUpSection({
  followUps,
  errors = {},
  values = {},
  headingIsPage = false,
}: {
  followUps: FollowUpItem[] | undefined;
  /** messages by field id (followUpFieldId) */
  errors?: Record<string, string>;
  values?: Record<string, FollowUpFormValues>;
  /** on /track/follow-up the heading is the page's h1 */
  headingIsPage?: boolean;
}) {
  const { t } = useTranslation("followup");
  if (!followUps || followUps.length === 0) return null;
  const Heading = headingIsPage ? "h1" : "h2";
  return (
    <section aria-labelledby="followup-heading" className="followup" id="follow-up">
      <Heading id="followup-heading">{t("form.heading")}</Heading>
      {followUps.some((f) => f.state === "open") ? <p>{t("form.intro")}</p> : null}
      {followUps.map((item) =>
        item.state === "open" ? (
          <FollowUpForm key={item.referralId} item={item} errors={errors} values={values[item.referralId] ?? {}} />
        ) : (
          <div key={item.referralId} className="followup-item">
            <h3>{t("form.service", { service: item.serviceName, organisation: item.organisationName })}</h3>
            <p role="status">{t("form.answered")}</p>
            <p>
              {item.helpArrived === false ? t("form.toldNotArrived") : t("form.toldArrived")}
              {item.satisfaction !== null ? ` ${t("form.toldScore", { score: item.satisfaction })}` : ""}
            </p>
          </div>
        ),
      )}
    </section>
  );
}

function FollowUpForm({ item, errors, values }: { item: FollowUpItem; errors: Record<string, string>; values: FollowUpFormValues }) {
  const { t } = useTranslation("followup");
  const helpId = followUpFieldId(item.referralId, "helpArrived");
  const scoreId = followUpFieldId(item.referralId, "satisfaction");
  const commentId = followUpFieldId(item.referralId, "comment");
  const helpValue = values.helpArrived ?? (item.helpArrived === null ? undefined : item.helpArrived ? "yes" : "no");
  const scoreValue = values.satisfaction ?? (item.satisfaction === null ? undefined : String(item.satisfaction));
  const commentDescribed = [`${commentId}-hint`, errors[commentId] ? `${commentId}-error` : null].filter(Boolean).join(" ");
  return (
    <Form method="post" action="/track/follow-up" className="followup-item" aria-labelledby={`${helpId}-service`}>
      <RepeatGuard />
      <input type="hidden" name="referralId" value={item.referralId} />
      <h3 id={`${helpId}-service`}>{t("form.service", { service: item.serviceName, organisation: item.organisationName })}</h3>
      <Choices
        id={helpId}
        name="helpArrived"
        legend={t("form.helpArrived")}
        error={errors[helpId]}
        checked={helpValue}
        options={[
          { value: "yes", label: t("form.yes") },
          { value: "no", label: t("form.no") },
        ]}
      />
      <Choices
        id={scoreId}
        name="satisfaction"
        legend={t("form.satisfaction")}
        hint={t("form.satisfactionHint")}
        error={errors[scoreId]}
        checked={scoreValue}
        options={["1", "2", "3", "4", "5"].map((value) => ({ value, label: t(`form.score.${value}`) }))}
      />
      <div className={errors[commentId] ? "field has-error" : "field"}>
        <label className="label" htmlFor={commentId}>
          {t("form.comment")}
        </label>
        <p id={`${commentId}-hint`} className="hint">
          {t("form.commentHint", { max: COMMENT_MAX })}
        </p>
        {errors[commentId] ? <ErrorMessage id={`${commentId}-error`} message={errors[commentId]} /> : null}
        <textarea
          id={commentId}
          name="comment"
          rows={3}
          className="followup-comment"
          defaultValue={values.comment ?? ""}
          aria-invalid={errors[commentId] ? true : undefined}
          aria-describedby={commentDescribed}
        />
      </div>
      <button type="submit" className="button">
        {t("form.submit")}
      </button>
    </Form>
  );
}

/** Native radios in a fieldset (as ChoiceGroup, with ids of our own: several forms share the page). */
function Choices({
  id,
  name,
  legend,
  hint,
  error,
  checked,
  options,
}: {
  id: string;
  name: string;
  legend: string;
  hint?: string;
  error?: string;
  checked: string | undefined;
  options: Array<{ value: string; label: string }>;
}) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field has-error" : "field"}>
      <fieldset aria-describedby={describedBy}>
        <legend>{legend}</legend>
        {hint ? (
          <p id={`${id}-hint`} className="hint">
            {hint}
          </p>
        ) : null}
        {error ? <ErrorMessage id={`${id}-error`} message={error} /> : null}
        <div className="choices">
          {options.map((option, i) => {
            const inputId = i === 0 ? id : `${id}-${i}`;
            return (
              <div className="choice" key={option.value}>
                <input type="radio" id={inputId} name={name} value={option.value} defaultChecked={checked === option.value} />
                <label htmlFor={inputId}>{option.label}</label>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
