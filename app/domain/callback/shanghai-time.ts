// A date and time on the caseworkers' clock (Asia/Shanghai), in the page's
// language, formatted on the server so the browser's own zone cannot change it.
// One formatter per language, kept: making an Intl.DateTimeFormat costs far
// more than using one, and a queue page formats 50 times.
const formatters = new Map<string, Intl.DateTimeFormat>();

export function shanghaiTime(lng: string, at: Date): string {
  const locale = lng === "en" ? "en-GB" : "zh-CN";
  let format = formatters.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" });
    formatters.set(locale, format);
  }
  return format.format(at);
}
