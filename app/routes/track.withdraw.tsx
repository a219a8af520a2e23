// /track/withdraw: "are you sure?" before a case is stopped (withdrawn). Only
// while the case may still be withdrawn; the change goes through the case
// state machine (changeStatus), so a case decided meanwhile is not touched.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { canWithdraw } from "~/domain/case";
import { changeStatus } from "~/models/application.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { commitTrackSession, requireTrackedCase } from "~/services/track-session.server";
import { pageTitle } from "~/utils/page-title";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";

export const handle = { i18n: ["common", "track"] };

const NO_STORE = { "Cache-Control": "private, no-store" };

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await translatorFor(request, ["track", "common"]);
  const { session, view } = await requireTrackedCase(request, db);
  return json(
    { allowed: canWithdraw(view.status), pageTitle: pageTitle(t, t("track:withdraw.title")) },
    { headers: { ...NO_STORE, "Set-Cookie": await commitTrackSession(session) } },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("track.withdraw", guardedAction)(args);
}

async function guardedAction({ request }: ActionFunctionArgs) {
  const { session, tracked, view } = await requireTrackedCase(request, db);
  if (canWithdraw(view.status)) {
    const result = await changeStatus(db, { reference: view.reference, to: "withdrawn", actor: tracked.role === "applicant" ? "resident" : "proxy" });
    if (result.ok) session.flash("notice", { kind: "withdrawn" });
  }
  return redirect("/track/case", { status: 303, headers: { ...NO_STORE, "Set-Cookie": await commitTrackSession(session) } });
}

export default function TrackWithdraw() {
  const { t } = useTranslation("track");
  const { allowed } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("withdraw.title")}</h1>
      {allowed ? (
        <>
          <p>{t("withdraw.body")}</p>
          <Form method="post" className="track-actions">
            <RepeatGuard />
            <button type="submit" className="button warning">
              {t("withdraw.confirm")}
            </button>
          </Form>
        </>
      ) : (
        <p>{t("withdraw.cannot")}</p>
      )}
      <p>
        <Link to="/track/case" className="track-link">
          {t("withdraw.cancel")}
        </Link>
      </p>
    </>
  );
}
