// /apply: the application's task list. Shows each task's status; tells a
// person without a finished check to do the check first (its answers become
// the household, never asked twice). A submitted draft points at its
// confirmation and offers to start another application.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TaskList } from "~/components/apply/task-list";
import { taskList } from "~/domain/apply";
import { APPLY_DRAFT_COOKIE, loadApplyState } from "~/models/application-draft.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { AssistedCsrfField } from "~/components/apply/assisted-csrf";
import { assistedCsrf } from "~/services/apply-csrf.server";

export const handle = { i18n: ["common", "apply"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const { draft, state } = await loadApplyState(db, request);
  const { t } = await translatorFor(request, ["apply", "common"]);
  const tasks = taskList(state);
  return json({
    title: pageTitle(t, t("apply:index.title")),
    tasks,
    submittedReference: draft?.submittedReference ?? null,
    checkComplete: state.checkComplete,
    done: tasks.filter((task) => task.status === "completed").length,
    total: tasks.length,
    hasDraft: Boolean(draft),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

// In staff-assisted mode the staff CSRF token is checked first: app/services/apply-csrf.server.ts.
export function action(args: ActionFunctionArgs) {
  return assistedCsrf(startAgain)(args);
}

/** "Start a new application" after one was sent: forget this browser's (sent) draft. */
async function startAgain({ request }: ActionFunctionArgs) {
  await readForm(request);
  const { draft } = await loadApplyState(db, request);
  if (!draft?.submittedReference) return redirect("/apply");
  return redirect("/apply", { headers: { "Set-Cookie": `${APPLY_DRAFT_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax` } });
}

export default function ApplyIndex() {
  const { t } = useTranslation("apply");
  const { tasks, submittedReference, checkComplete, done, total, hasDraft } = useLoaderData<typeof loader>();
  if (submittedReference) {
    return (
      <>
        <h1>{t("index.sentTitle")}</h1>
        <p>
          <a href={`/apply/done/${submittedReference}`}>{t("index.sentLink")}</a>
        </p>
        <form method="post" action="/apply?index">
          <AssistedCsrfField />
          <button className="button secondary" type="submit">
            {t("index.startNew")}
          </button>
        </form>
      </>
    );
  }
  return (
    <>
      <h1>{t("index.title")}</h1>
      <p className="lead">{t("index.lead")}</p>
      {!checkComplete ? (
        <div className="notice">
          <p>{t("index.checkFirst")}</p>
          <p>
            <a href="/check">{t("index.checkLink")}</a>
          </p>
        </div>
      ) : null}
      <p>{t("index.progress", { done, total })}</p>
      <TaskList tasks={tasks} />
      {hasDraft ? (
        <p>
          <a href="/apply/save">{t("save.link")}</a>
        </p>
      ) : null}
      <p>
        <a href="/callback">{t("needHelp")}</a>
      </p>
    </>
  );
}
