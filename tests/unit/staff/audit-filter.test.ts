// The audit search read from the URL, and CSV cells for the export.
import { describe, expect, it } from "vitest";
import { auditSearchParams, csvCell, parseAuditQuery } from "~/domain/staff/audit-filter";

describe("parseAuditQuery", () => {
  it("reads who, what, record and whole days in China time", () => {
    const q = parseAuditQuery(new URLSearchParams("actor= Wang &action=view_case&subject=LA-1&from=2026-11-01&to=2026-11-02&page=3"));
    expect(q.errors).toEqual({});
    expect(q.filter).toEqual({
      actor: "wang",
      action: "view_case",
      subject: "LA-1",
      from: new Date("2026-10-31T16:00:00.000Z"),
      toExclusive: new Date("2026-11-02T16:00:00.000Z"),
    });
    expect(q.page).toBe(3);
  });

  it("names impossible dates and an end before the start", () => {
    expect(parseAuditQuery(new URLSearchParams("from=2026-02-29&to=13/01/2026")).errors).toEqual({ from: "invalid", to: "invalid" });
    expect(parseAuditQuery(new URLSearchParams("from=2026-03-02&to=2026-03-01")).errors).toEqual({ to: "order" });
    expect(parseAuditQuery(new URLSearchParams("from=2026-03-01&to=2026-03-01")).errors).toEqual({});
  });

  it("falls back to page 1 for nonsense", () => {
    for (const page of ["0", "-2", "x", "1e9"]) expect(parseAuditQuery(new URLSearchParams({ page })).page).toBe(1);
  });

  it("makes links that keep the search", () => {
    expect(auditSearchParams({ actor: "wang", action: "", subject: "", from: "", to: "" }, { page: "2" })).toBe("?actor=wang&page=2");
    expect(auditSearchParams({ actor: "", action: "", subject: "", from: "", to: "" })).toBe("");
  });
});

describe("csvCell", () => {
  it("quotes commas, quotes and line breaks", () => {
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(csvCell(12)).toBe("12");
    expect(csvCell(null)).toBe("");
  });
  it("defuses formulas", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("-2")).toBe("'-2");
  });
});
