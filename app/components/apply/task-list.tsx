// The GOV.UK task list: each task a row with its name (a link when it can be
// started) and its status in words, so the status never relies on colour.
import { useTranslation } from "react-i18next";
import type { Task } from "~/domain/apply";

export function TaskList({ tasks }: { tasks: Task[] }) {
  const { t } = useTranslation("apply");
  return (
    <ul className="task-list">
      {tasks.map((task) => {
        const statusId = `task-${task.id}-status`;
        return (
          <li key={task.id} className="task-list-item">
            {task.status === "cannot_start" ? (
              <span className="task-name">{t(`tasks.${task.id}`)}</span>
            ) : (
              <a className="task-name" href={task.href} aria-describedby={statusId}>
                {t(`tasks.${task.id}`)}
              </a>
            )}
            <strong id={statusId} className={`task-status ${task.status}`}>
              {t(`status.${task.status}`)}
            </strong>
          </li>
        );
      })}
    </ul>
  );
}
