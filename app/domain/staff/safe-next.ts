// Where to send a staff member after signing in or extending the session:
// only a path inside the staff console. Anything else (another site, "//host",
// a backslash trick, the login page itself) goes to the dashboard.

export function safeStaffNext(value: unknown, fallback = "/staff"): string {
  if (typeof value !== "string" || value.length > 2000) return fallback;
  if (!value.startsWith("/staff")) return fallback;
  if (value.startsWith("//") || value.includes("\\") || [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return fallback;
  // "/staffing" is not a staff page, and the login page would loop.
  if (!/^\/staff(?:[/?#]|$)/.test(value)) return fallback;
  if (/^\/staff\/login(?:[/?#]|$)/.test(value)) return fallback;
  try {
    const url = new URL(value, "http://x.invalid");
    if (url.host !== "x.invalid") return fallback;
  } catch {
    return fallback;
  }
  return value;
}
