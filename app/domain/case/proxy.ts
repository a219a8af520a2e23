// Applying on someone's behalf: who the helper is to the resident, and how
// the resident agreed. One list for the web journey, the partner API and the case.

export const PROXY_RELATIONSHIPS = [
  "child",
  "spouse",
  "parent",
  "sibling",
  "grandchild",
  "other_relative",
  "community_worker",
  "social_worker",
  "other",
] as const;
export type ProxyRelationship = (typeof PROXY_RELATIONSHIPS)[number];

/** sms: the resident typed back a code texted to their own phone; document: an uploaded 委托书. */
export const PROXY_CONSENTS = ["sms", "document"] as const;
export type ProxyConsent = (typeof PROXY_CONSENTS)[number];
