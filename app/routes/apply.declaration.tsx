// /apply/declaration: "what I said is true", then send. The form carries a
// one-time submission token kept in the draft; submitting is idempotent
// (models/application-draft.server.ts submitApplyDraft), so a double click or
// a resent form makes one application and lands on the same confirmation.
// Staff-assisted mode: the caseworker reads the declaration out on the phone
// and ticks that the resident agreed (the staff session's CSRF token is
// checked); the application is sent as staff_assisted, in the caseworker's name.
import crypto from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Checkboxes } from "~/components/form/checkboxes";
import { ErrorSummary, toProblems } from "~/components/form/error-summary";
import { readyToSubmit } from "~/domain/apply";
import type { Household } from "~/domain/eligibility";
import { isLanguage } from "~/i18n";
import { loadApplyState, saveApplyDraft, submitApplyDraft } from "~/models/application-draft.server";
import { recordAudit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { requireStaffAction, staffActor } from "~/services/staff-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";
import { AssistedCsrfField } from "~/components/apply/assisted-csrf";
import { assistedCsrf } from "~/services/apply-csrf.server";

export const handle = { i18n: ["common", "apply", "queue"] };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { draft, state, assisted } = await loadApplyState(db, request);
  if (draft?.submittedReference) throw redirect(`/apply/done/${draft.submittedReference}`);
  if (!draft || !readyToSubmit(state)) throw redirect("/apply");
  let token = state.answers.submissionToken;
  if (!token) {
    token = crypto.randomBytes(16).toString("hex");
    await saveApplyDraft(db, draft.id, { answers: { ...state.answers, submissionToken: token }, step: "submit" });
  }
  const { t } = await translatorFor(request, ["apply", "common"]);
  return json({
    title: pageTitle(t, t("apply:declaration.title"), hasFormErrors(context)),
    token,
    onBehalf: state.answers.forWhom === "other",
    assisted: assisted ? { csrf: assisted.csrfToken } : null,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts;
// in staff-assisted mode the staff CSRF token is checked first: app/services/apply-csrf.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return assistedCsrf(repeatGuarded("apply.declaration", guardedAction))(args);
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  const { draft, state, assisted } = await loadApplyState(db, request);
  if (draft?.submittedReference) return redirect(`/apply/done/${draft.submittedReference}`);
  if (!draft || !readyToSubmit(state)) return redirect("/apply");
  const form = await readForm(request);
  // Assisted: the staff form's CSRF token must match (throws 403 otherwise).
  const staff = assisted ? await requireStaffAction(request, form, "queue.work") : null;
  const { lng, t } = await translatorFor(request, ["apply", "application", "queue", "common"]);
  if (form.get("declare") !== "yes") {
    markFormErrors(context);
    return json({ errors: { declare: t(assisted ? "queue:assisted.agreedRequired" : "apply:errors.declare.required") } as Record<string, string> }, { status: 400 });
  }
  const result = await submitApplyDraft(db, {
    draftId: draft.id,
    token: String(form.get("token") ?? ""),
    household: state.answers.household as Household,
    // The resident's language, not the caseworker's page language.
    language: staff && isLanguage(draft.language) ? draft.language : isLanguage(lng) ? lng : "zh-CN",
    assistedBy: staff ? staff.staff.id : null,
  });
  if (result.ok && staff) {
    const { actor, actorName } = staffActor(staff);
    await recordAudit(db, { actor, actorName, action: "submit_assisted_application", subjectType: "application", subjectId: result.reference, detail: { residentAgreedOnPhone: true } });
  }
  if (result.ok) return redirect(`/apply/done/${result.reference}`);
  // An old copy of the form: show the page again with a fresh token.
  if (result.reason === "staleForm") return redirect("/apply/declaration");
  markFormErrors(context);
  const messages = Object.values(result.errors).map((key) => t(`application:errors.${key}`));
  return json({ errors: { declare: t("apply:errors.declare.invalid", { problems: messages.join(" ") }) } as Record<string, string> }, { status: 400 });
}

export default function ApplyDeclaration() {
  const { t } = useTranslation("apply");
  const { token, onBehalf, assisted } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  return (
    <>
      <a className="back-link" href="/apply/answers">
        {t("common:back")}
      </a>
      <ErrorSummary problems={toProblems(failed?.errors)} />
      <h1>{t("declaration.title")}</h1>
      {assisted ? <p className="notice">{t("queue:assisted.readAloud")}</p> : null}
      <p>{t(onBehalf ? "declaration.leadOther" : "declaration.lead")}</p>
      <form method="post" action="/apply/declaration" noValidate>
        <AssistedCsrfField />
        <RepeatGuard />
        <input type="hidden" name="token" value={token} />
        {assisted ? (
          <Checkboxes
            name="declare"
            legend={t("queue:assisted.agreedLegend")}
            hint={t(onBehalf ? "declaration.checkboxOther" : "declaration.checkbox")}
            error={failed?.errors.declare}
            options={[{ value: "yes", label: t("queue:assisted.agreedLabel") }]}
            checked={[]}
          />
        ) : (
          <Checkboxes
            name="declare"
            legend={t("declaration.legend")}
            error={failed?.errors.declare}
            options={[{ value: "yes", label: t(onBehalf ? "declaration.checkboxOther" : "declaration.checkbox") }]}
            checked={[]}
          />
        )}
        <button className="button" type="submit">
          {t("declaration.send")}
        </button>
      </form>
    </>
  );
}
