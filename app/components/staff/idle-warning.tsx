// With JavaScript: 2 minutes before the staff session would end, a warning
// (role="alertdialog", focus moved into it) offers to stay signed in; the
// button posts to /staff/session in the background and focus returns where it
// was. At the end it says the person was signed out and links to sign in.
// Without JavaScript nothing here renders; the layout's notice and its plain
// "Stay signed in" form do the same job.
import { useFetcher, useLocation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

const WARN_BEFORE_MS = 2 * 60_000;

type Phase = "quiet" | "warning" | "ended";

export function IdleWarning({ remainingMs, csrfToken }: { remainingMs: number; csrfToken: string }) {
  const { t } = useTranslation("staff");
  const location = useLocation();
  const fetcher = useFetcher<{ remainingMs?: number }>();
  const [deadline, setDeadline] = useState<number | null>(null);
  const [phase, setPhase] = useState<Phase>("quiet");
  const [extended, setExtended] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  // Each page load or navigation reached the server and moved the limit on.
  useEffect(() => {
    setDeadline(Date.now() + remainingMs);
  }, [remainingMs, location.key]);

  useEffect(() => {
    if (fetcher.state === "idle" && typeof fetcher.data?.remainingMs === "number") {
      setDeadline(Date.now() + fetcher.data.remainingMs);
      setExtended(true);
    }
  }, [fetcher.state, fetcher.data]);

  useEffect(() => {
    if (deadline === null) return;
    const tick = () => {
      const left = deadline - Date.now();
      setPhase(left <= 0 ? "ended" : left <= WARN_BEFORE_MS ? "warning" : "quiet");
    };
    tick();
    const timer = window.setInterval(tick, 5000);
    return () => window.clearInterval(timer);
  }, [deadline]);

  useEffect(() => {
    if (phase === "quiet") {
      if (returnFocus.current && document.contains(returnFocus.current)) returnFocus.current.focus();
      returnFocus.current = null;
      return;
    }
    if (!returnFocus.current && document.activeElement instanceof HTMLElement) returnFocus.current = document.activeElement;
    setExtended(false);
    headingRef.current?.focus();
  }, [phase]);

  const next = `${location.pathname}${location.search}`;
  return (
    <>
      {/* data-idle-watch: the countdown is running (browser tests wait for it before moving the clock on). */}
      <p className="visually-hidden" role="status" data-idle-watch={deadline === null ? undefined : "on"}>
        {extended ? t("warning.extended") : ""}
      </p>
      {phase === "quiet" ? null : (
        <div className="staff-idle" role="alertdialog" aria-labelledby="staff-idle-title" aria-describedby="staff-idle-body">
          <h2 id="staff-idle-title" tabIndex={-1} ref={headingRef}>
            {phase === "warning" ? t("warning.title") : t("warning.endedTitle")}
          </h2>
          <p id="staff-idle-body">{phase === "warning" ? t("warning.body") : t("warning.endedBody")}</p>
          {phase === "warning" ? (
            <fetcher.Form method="post" action="/staff/session">
              <input type="hidden" name="csrf" value={csrfToken} />
              <input type="hidden" name="js" value="1" />
              <input type="hidden" name="next" value={next} />
              <button type="submit" className="button">
                {t("session.stay")}
              </button>
            </fetcher.Form>
          ) : (
            <p>
              <a href={`/staff/login?next=${encodeURIComponent(next)}`}>{t("warning.signInAgain")}</a>
            </p>
          )}
        </div>
      )}
    </>
  );
}
