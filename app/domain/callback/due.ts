// When a call-back is due, and how urgent it is, on the caseworkers' clock:
// Asia/Shanghai (UTC+8 all year, no daylight saving since 1991, so a fixed
// offset is exact), Monday to Friday, 09:00 to 17:00.
//
// - Normally: by 17:00 on the next working day after the request.
// - Someone 70 or older in the home, or an urgent need (no food or money
//   today, a health problem): within 4 working hours; a request made on a
//   working day before 15:00 is always called the same day (by 17:00).
//
// Public holidays: the State Council publishes each year's holidays and
// make-up working days (调休) only weeks ahead, so they are not hard-coded
// here. Callers pass them as ISO dates (`holidays`, `workdays`); without them
// only weekends are skipped. Missing a holiday makes a call due earlier,
// never later, which is the safe side for people waiting for help.

export interface DueOptions {
  /** Age of the oldest person in the home, when known. */
  oldestAge?: number | null;
  /** The person says they need help urgently. */
  urgent?: boolean | null;
  /** Public holidays, "YYYY-MM-DD" local dates: not working days. */
  holidays?: readonly string[];
  /** Weekend days that are working days (调休 make-up days), "YYYY-MM-DD". */
  workdays?: readonly string[];
}

export interface Due {
  dueAt: Date;
  /** Higher is more urgent: 0 normal, 1 someone 70+, 2 urgent need, 3 both. */
  priority: number;
}

export const ELDERLY_AGE = 70;
const OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const OPEN = 9 * 60;
const CLOSE = 17 * 60;
const SAME_DAY_CUTOFF = 15 * 60;
const FAST_MINUTES = 4 * 60;
// A calendar would need more than two months of holidays in a row to stop this.
const MAX_DAYS_AHEAD = 60;

interface Calendar {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

/** The local (Asia/Shanghai) date "YYYY-MM-DD" and minutes since local midnight. */
function localClock(instant: Date): { date: string; minutes: number } {
  const shifted = new Date(instant.getTime() + OFFSET_MS);
  return { date: shifted.toISOString().slice(0, 10), minutes: shifted.getUTCHours() * 60 + shifted.getUTCMinutes() };
}

function atLocal(date: string, minutes: number): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS + minutes * 60_000);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function isWorkingDay(date: string, calendar: Calendar): boolean {
  if (calendar.workdays.has(date)) return true;
  if (calendar.holidays.has(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday >= 1 && weekday <= 5;
}

function nextWorkingDay(date: string, calendar: Calendar): string {
  let day = addDays(date, 1);
  for (let i = 0; i < MAX_DAYS_AHEAD && !isWorkingDay(day, calendar); i++) day = addDays(day, 1);
  return day;
}

/** `minutes` of opening hours after `now`, skipping nights, weekends and holidays. */
function addWorkingMinutes(now: Date, minutes: number, calendar: Calendar): Date {
  const { date, minutes: clock } = localClock(now);
  let day = date;
  let left = minutes;
  if (isWorkingDay(day, calendar) && clock < CLOSE) {
    const start = Math.max(clock, OPEN);
    if (start + left <= CLOSE) return atLocal(day, start + left);
    left -= CLOSE - start;
  }
  for (;;) {
    day = nextWorkingDay(day, calendar);
    if (OPEN + left <= CLOSE) return atLocal(day, OPEN + left);
    left -= CLOSE - OPEN;
  }
}

export function isElderly(oldestAge: number | null | undefined): boolean {
  return typeof oldestAge === "number" && oldestAge >= ELDERLY_AGE;
}

export function callbackDueAt(now: Date, options: DueOptions = {}): Due {
  const calendar: Calendar = { holidays: new Set(options.holidays ?? []), workdays: new Set(options.workdays ?? []) };
  const urgent = options.urgent === true;
  const elderly = isElderly(options.oldestAge);
  const priority = (urgent ? 2 : 0) + (elderly ? 1 : 0);
  const { date, minutes } = localClock(now);

  if (!urgent && !elderly) return { dueAt: atLocal(nextWorkingDay(date, calendar), CLOSE), priority };

  if (isWorkingDay(date, calendar) && minutes < SAME_DAY_CUTOFF) {
    const start = Math.max(minutes, OPEN);
    return { dueAt: atLocal(date, Math.min(start + FAST_MINUTES, CLOSE)), priority };
  }
  return { dueAt: addWorkingMinutes(now, FAST_MINUTES, calendar), priority };
}

/** "YYYY-MM-DD" of an instant in Asia/Shanghai (for "today"/"tomorrow" wording). */
export function shanghaiDate(instant: Date): string {
  return localClock(instant).date;
}
