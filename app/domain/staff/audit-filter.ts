// The audit log search, read from the URL (?actor=&action=&subject=&from=&to=&page=):
// pure parsing and checking. Dates are whole days in China time, `to` included.

export const AUDIT_PAGE_SIZE = 50;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface AuditFilter {
  /** a staff username (actorName), lower case */
  actor?: string;
  action?: string;
  /** a reference or id (subjectId) */
  subject?: string;
  /** start of the `from` day, China time */
  from?: Date;
  /** end of the `to` day (exclusive: the next day's start), China time */
  toExclusive?: Date;
}

export interface AuditQuery {
  filter: AuditFilter;
  page: number;
  /** what the form shows back */
  values: { actor: string; action: string; subject: string; from: string; to: string };
  /** field → error code */
  errors: Record<string, "invalid" | "order">;
}

function dayStart(value: string): Date | null {
  const match = DATE.exec(value);
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const utc = new Date(Date.UTC(y, m - 1, d));
  if (utc.getUTCFullYear() !== y || utc.getUTCMonth() !== m - 1 || utc.getUTCDate() !== d) return null;
  return new Date(utc.getTime() - 8 * 3600_000);
}

function param(params: URLSearchParams, name: string, max = 100): string {
  return (params.get(name) ?? "").trim().slice(0, max);
}

export function parseAuditQuery(params: URLSearchParams): AuditQuery {
  const values = {
    actor: param(params, "actor"),
    action: param(params, "action"),
    subject: param(params, "subject"),
    from: param(params, "from", 10),
    to: param(params, "to", 10),
  };
  const filter: AuditFilter = {};
  const errors: AuditQuery["errors"] = {};
  if (values.actor) filter.actor = values.actor.toLowerCase();
  if (values.action) filter.action = values.action;
  if (values.subject) filter.subject = values.subject;
  if (values.from) {
    const from = dayStart(values.from);
    if (from) filter.from = from;
    else errors.from = "invalid";
  }
  if (values.to) {
    const to = dayStart(values.to);
    if (to) filter.toExclusive = new Date(to.getTime() + 24 * 3600_000);
    else errors.to = "invalid";
  }
  if (filter.from && filter.toExclusive && filter.from >= filter.toExclusive) errors.to = "order";
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return { filter, values, errors, page: Number.isFinite(page) && page >= 1 && page <= 100_000 ? page : 1 };
}

/** The filter as query parameters (for paging and export links), empty values left out. */
export function auditSearchParams(values: AuditQuery["values"], extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...values, ...extra })) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell (RFC 4180), with spreadsheet formulas defused by a leading apostrophe. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
