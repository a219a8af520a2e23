import { describe, expect, it } from "vitest";
import { dueWords } from "~/domain/callback/when";

const sh = (local: string) => new Date(`${local}:00+08:00`);

describe("dueWords", () => {
  it("says today with the Shanghai time in each language", () => {
    expect(dueWords(sh("2026-11-30T14:20"), sh("2026-11-30T10:20"), "en")).toEqual({ day: "today", time: "2:20 pm", date: "Monday 30 November" });
    expect(dueWords(sh("2026-11-30T14:20"), sh("2026-11-30T10:20"), "zh-CN")).toEqual({ day: "today", time: "14:20", date: "11月30日星期一" });
  });

  it("says tomorrow for the next Shanghai day, even across UTC midnight", () => {
    // 23:30 Shanghai is 15:30 UTC the same day; the call is due the next Shanghai day.
    expect(dueWords(sh("2026-12-01T17:00"), sh("2026-11-30T23:30"), "en").day).toBe("tomorrow");
    expect(dueWords(sh("2026-12-01T17:00"), sh("2026-12-01T00:30"), "en").day).toBe("today");
  });

  it("names the day when it is further away", () => {
    expect(dueWords(sh("2026-12-07T17:00"), sh("2026-12-04T18:00"), "en")).toEqual({ day: "onDay", time: "5:00 pm", date: "Monday 7 December" });
  });
});
