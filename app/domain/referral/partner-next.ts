// Where a partner goes back to after "Stay signed in": only a partner page
// (/partner or below); anything else goes to /partner.
export function safePartnerNext(value: unknown): string {
  if (typeof value !== "string" || value.length > 500) return "/partner";
  return /^\/partner(?:\/[A-Za-z0-9_-]+)*(?:\?[A-Za-z0-9_=&-]*)?$/.test(value) ? value : "/partner";
}
