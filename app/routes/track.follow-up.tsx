// /track/follow-up (issue 9): the resident's answer to "did you get the
// help?" for one referral of the signed-in case (the case comes from the
// tracking session, never from the form; a referral of another case, or one
// no longer open, changes nothing). GET shows the open questions on a page of
// their own; a POST with a problem answers 400 with this page, an error
// summary and the messages by the fields; a good one is recorded and goes
// back to /track/case, where the answer is thanked for.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems } from "~/components/form/error-summary";
import { FollowUpSection, followUpFieldId, type FollowUpFormValues } from "~/components/plan/follow-up-form";
import { COMMENT_MAX, readFollowUpForm } from "~/domain/follow-up/answers";
import { recordWebAnswer, residentFollowUps } from "~/models/follow-up.server";
import { db } from "~/services/db.server";
import { readForm } from "~/services/form-body.server";
import { translatorFor } from "~/services/i18n.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { commitTrackSession, requireTrackedCase } from "~/services/track-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "track", "followup"] };

const NO_STORE = { "Cache-Control": "private, no-store" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { t } = await translatorFor(request, ["followup", "common"]);
  const { session, view } = await requireTrackedCase(request, db);
  const followUps = (await residentFollowUps(db, view.id)).filter((f) => f.state === "open");
  return json(
    { followUps, pageTitle: pageTitle(t, t("followup:page.title"), hasFormErrors(context)) },
    { headers: { ...NO_STORE, "Set-Cookie": await commitTrackSession(session) } },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

export interface FollowUpActionData {
  errors: Record<string, string>;
  values: Record<string, FollowUpFormValues>;
}

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the browser bundle.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("track.follow-up", guardedAction)(args);
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  const { t } = await translatorFor(request, ["followup", "common"]);
  const { session, tracked, view } = await requireTrackedCase(request, db);
  const headers = { ...NO_STORE, "Set-Cookie": await commitTrackSession(session) };
  const form = await readForm(request);
  const referralId = form.get("referralId");
  const open = typeof referralId === "string" ? (await residentFollowUps(db, view.id)).find((f) => f.referralId === referralId && f.state === "open") : undefined;
  // Not a question of this case that is open (answered meanwhile, or not theirs): nothing to fix here.
  if (!open) return redirect("/track/case#follow-up", { status: 303, headers });
  const fields = { helpArrived: form.get("helpArrived"), satisfaction: form.get("satisfaction"), comment: form.get("comment") };
  const read = readFollowUpForm(fields);
  if (!read.ok) {
    markFormErrors(context);
    const errors: Record<string, string> = {};
    // In the form's order, so the summary lists them as the page does.
    for (const field of ["helpArrived", "satisfaction", "comment"] as const) {
      const key = read.errors[field];
      if (key) errors[followUpFieldId(open.referralId, field)] = t(`followup:${key}`, { max: COMMENT_MAX });
    }
    const values: FollowUpFormValues = {
      helpArrived: typeof fields.helpArrived === "string" ? fields.helpArrived : undefined,
      satisfaction: typeof fields.satisfaction === "string" ? fields.satisfaction : undefined,
      comment: typeof fields.comment === "string" ? fields.comment : undefined,
    };
    const body: FollowUpActionData = { errors, values: { [open.referralId]: values } };
    return json(body, { status: 400, headers });
  }
  await recordWebAnswer(db, { applicationId: view.id, referralId: open.referralId, answer: read.answer, actor: tracked.role === "applicant" ? "resident" : "proxy" });
  return redirect("/track/case#follow-up", { status: 303, headers });
}

export default function TrackFollowUp() {
  const { t } = useTranslation("followup");
  const { followUps } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as FollowUpActionData | undefined;
  const errors = answer?.errors ?? {};
  return (
    <>
      <ErrorSummary problems={toProblems(errors)} />
      {followUps.length === 0 ? <h1>{t("page.title")}</h1> : null}
      <FollowUpSection followUps={followUps} errors={errors} values={answer?.values ?? {}} headingIsPage />
      <p>
        <Link to="/track/case" className="track-link">
          {t("page.back")}
        </Link>
      </p>
    </>
  );
}
