// Dates and times on the service's clock (Asia/Shanghai) in the page's
// language, formatted on the server so a browser's own time zone cannot change
// them. Formatters are made once per language and style and kept: making an
// Intl.DateTimeFormat costs far more than using one, and a list page formats
// fifty dates (measured: a fifth of the case list's time went on making them).
export type ShanghaiStyle = "date" | "dateLong" | "dateTime" | "dateTimeLong" | "time" | "dayMonthTime";

const OPTIONS: Readonly<Record<ShanghaiStyle, Intl.DateTimeFormatOptions>> = {
  date: { dateStyle: "medium" },
  dateLong: { dateStyle: "long" },
  dateTime: { dateStyle: "medium", timeStyle: "short" },
  dateTimeLong: { dateStyle: "long", timeStyle: "short" },
  time: { timeStyle: "short" },
  /** "30 Nov, 14:05" / "11月30日 14:05" */
  dayMonthTime: { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hour12: false },
};

const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatShanghai(lng: string, at: Date, style: ShanghaiStyle): string {
  const locale = lng === "en" ? "en-GB" : "zh-CN";
  const key = `${locale}|${style}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...OPTIONS[style], timeZone: "Asia/Shanghai" });
    formatters.set(key, format);
  }
  return format.format(at);
}
