// A date and time on the caseworkers' clock (Asia/Shanghai), in the page's language.
import { formatShanghai } from "~/domain/time/shanghai-format";

export function shanghaiTime(lng: string, at: Date): string {
  return formatShanghai(lng, at, "dateTime");
}
