// /apply/save: "save and come back later". The draft is already saved on the
// server; here we text a link back to it (the link holds an encrypted token,
// never the draft id) to the phone the person gives.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems } from "~/components/form/error-summary";
import { TextField } from "~/components/form/text-field";
import { contactPhone } from "~/domain/apply";
import { maskPhone, normalizeMobile } from "~/domain/callback";
import { isLanguage } from "~/i18n";
import { loadApplyState, RESUME_LINK_DAYS, textResumeLink } from "~/models/application-draft.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";
import { AssistedCsrfField } from "~/components/apply/assisted-csrf";
import { assistedCsrf } from "~/services/apply-csrf.server";

export const handle = { i18n: ["common", "apply"] };

async function savedDraft(request: Request) {
  const loaded = await loadApplyState(db, request);
  if (!loaded.draft || loaded.draft.submittedReference) throw redirect("/apply");
  return { ...loaded, draft: loaded.draft };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { state } = await savedDraft(request);
  const { t } = await translatorFor(request, ["apply", "common"]);
  const sentTo = new URL(request.url).searchParams.get("sent");
  return json({
    title: pageTitle(t, t("apply:save.title"), hasFormErrors(context)),
    phone: contactPhone(state.answers) ?? "",
    sent: sentTo ? maskPhone(sentTo) : null,
    days: RESUME_LINK_DAYS,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts;
// in staff-assisted mode the staff CSRF token is checked first: app/services/apply-csrf.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return assistedCsrf(repeatGuarded("apply.save", guardedAction))(args);
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  const { draft } = await savedDraft(request);
  const form = await readForm(request);
  const typed = String(form.get("phone") ?? "");
  const phone = normalizeMobile(typed);
  const { lng, t } = await translatorFor(request, ["apply", "application", "common"]);
  if (!phone.ok) {
    markFormErrors(context);
    return json({ errors: { phone: t(`application:errors.${phone.error}`) }, phone: typed }, { status: 400 });
  }
  await textResumeLink(db, draft.id, phone.phone, isLanguage(lng) ? lng : "zh-CN");
  // Only the last 4 digits travel in the URL, to say where the text went.
  return redirect(`/apply/save?sent=${encodeURIComponent(maskPhone(phone.phone))}`);
}

export default function ApplySave() {
  const { t } = useTranslation("apply");
  const { phone, sent, days } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  return (
    <>
      <a className="back-link" href="/apply">
        {t("common:back")}
      </a>
      <ErrorSummary problems={toProblems(failed?.errors)} />
      <h1>{t("save.title")}</h1>
      {sent ? <p className="notice">{t("save.sent", { phone: sent, days })}</p> : null}
      <p>{t("save.lead", { days })}</p>
      <form method="post" action="/apply/save" noValidate>
        <AssistedCsrfField />
        <RepeatGuard />
        <TextField name="phone" label={t("save.phone")} hint={t("details.phoneHint")} error={failed?.errors.phone} defaultValue={failed?.phone ?? phone} type="tel" inputMode="tel" autoComplete="tel" maxLength={30} />
        <button className="button" type="submit">
          {t("save.send")}
        </button>
      </form>
      <p>
        <a href="/apply">{t("save.back")}</a>
      </p>
    </>
  );
}
