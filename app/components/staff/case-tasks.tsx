// The "Tasks" section of the staff case page (issue 9): work the system opened
// for the caseworker, e.g. a referral a partner declined. For a declined
// referral the caseworker can send the item to another organisation's
// service for the same need (places left shown), or mark the task done.
// Plain forms (work without script) posting to /staff/cases/:ref/tasks/:id;
// the answer comes back as ?task=<outcome> on the case page.
import { useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { RepeatGuard } from "~/components/form/repeat-guard";
import { CsrfInput } from "~/components/staff/csrf-input";
import type { CaseTaskRow } from "~/models/referral.server";

const OUTCOMES = ["resent", "closed", "noService", "full", "stale"] as const;
const PROBLEMS = new Set<string>(["noService", "full", "stale"]);

export function CaseTasks({ reference, tasks, mayAct }: { reference: string; tasks: CaseTaskRow[]; mayAct: boolean }) {
  const { t } = useTranslation("cases");
  const [params] = useSearchParams();
  const outcome = (OUTCOMES as readonly string[]).includes(params.get("task") ?? "") ? (params.get("task") as string) : null;
  if (tasks.length === 0 && !outcome) return null;
  return (
    <section aria-labelledby="tasks-heading">
      <h2 id="tasks-heading">{t("tasks.heading")}</h2>
      {outcome ? (
        <div className="notice" role={PROBLEMS.has(outcome) ? "alert" : "status"}>
          <p>{t(`tasks.outcome.${outcome}`)}</p>
        </div>
      ) : null}
      {tasks.length === 0 ? <p>{t("tasks.none")}</p> : null}
      {tasks.map((task) => (
        <div key={task.id} className="case-task panel">
          <h3>{t(`tasks.kind.${task.kind}`, { defaultValue: t("tasks.kind.other") })}</h3>
          <p className="hint">{t("tasks.openedAt", { at: task.openedAt })}</p>
          {task.kind === "referral_declined" && task.service ? (
            <p>
              {t("tasks.declined", {
                service: task.service,
                organisation: task.organisation ?? "",
                need: task.need ? t(`tasks.needs.${task.need}`, { defaultValue: task.need }) : "",
                reason: t(`tasks.declineReasons.${task.declineReason ?? "other"}`),
              })}
              {task.declineNote ? ` ${t("tasks.note", { note: task.declineNote })}` : ""}
            </p>
          ) : null}
          {mayAct && task.choices.length > 0 ? (
            <form method="post" action={`/staff/cases/${reference}/tasks/${task.id}`}>
              <CsrfInput />
              <RepeatGuard />
              <input type="hidden" name="intent" value="resend" />
              <fieldset>
                <legend>{t("tasks.resendLegend")}</legend>
                <div className="choices">
                  {task.choices.map((c, i) => {
                    const id = i === 0 ? `service-${task.id}` : `service-${task.id}-${i}`;
                    return (
                      <div className="choice" key={c.serviceId}>
                        <input type="radio" id={id} name="serviceId" value={c.serviceId} disabled={c.free <= 0} />
                        <label htmlFor={id}>
                          {t("tasks.choice", { service: c.serviceName, organisation: c.organisationName })}
                          <span className="hint choice-hint">{c.free > 0 ? t("tasks.free", { count: c.free }) : t("tasks.full")}</span>
                        </label>
                      </div>
                    );
                  })}
                </div>
              </fieldset>
              <button type="submit" className="button">
                {t("tasks.resend")}
              </button>
            </form>
          ) : null}
          {mayAct && task.kind === "referral_declined" && task.choices.length === 0 ? <p>{t("tasks.noChoices")}</p> : null}
          {mayAct ? (
            <form method="post" action={`/staff/cases/${reference}/tasks/${task.id}`}>
              <CsrfInput />
              <RepeatGuard />
              <input type="hidden" name="intent" value="close" />
              <button type="submit" className="button secondary">
                {t("tasks.close")}
              </button>
            </form>
          ) : null}
        </div>
      ))}
    </section>
  );
}
