// Words for "when we will call": today / tomorrow / a named day, with the time
// and date in the page's language on the Asia/Shanghai clock, whatever the
// server's or the browser's own time zone.
import { shanghaiDate } from "./due";

export interface DueWords {
  /** Which sentence to use: "today", "tomorrow" or "onDay" (a named day). */
  day: "today" | "tomorrow" | "onDay";
  /** "17:00" / "5:00 pm" */
  time: string;
  /** "11月30日星期一" / "Monday 30 November" */
  date: string;
}

const TIME_ZONE = "Asia/Shanghai";

function locale(lng: string): string {
  // en-GB: "Monday 30 November" reads more plainly than the US "Monday, November 30".
  return lng === "en" ? "en-GB" : "zh-CN";
}

export function dueWords(dueAt: Date, now: Date, lng: string): DueWords {
  const today = shanghaiDate(now);
  const dueDay = shanghaiDate(dueAt);
  const tomorrow = shanghaiDate(new Date(Date.parse(`${today}T12:00:00+08:00`) + 24 * 60 * 60 * 1000));
  const day = dueDay === today ? "today" : dueDay === tomorrow ? "tomorrow" : "onDay";
  const time = new Intl.DateTimeFormat(locale(lng), {
    timeZone: TIME_ZONE,
    hour: "numeric",
    minute: "2-digit",
    hour12: lng === "en",
  }).format(dueAt);
  const date = new Intl.DateTimeFormat(locale(lng), { timeZone: TIME_ZONE, weekday: "long", day: "numeric", month: "long" }).format(dueAt);
  return { day, time, date };
}
