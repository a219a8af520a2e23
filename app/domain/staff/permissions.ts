// Who may do what on the staff side: three roles, each a fixed set of
// permissions. Pure data, no I/O; routes ask `can(role, permission)` through
// requireStaff (app/services/staff-session.server.ts).
// Admins manage accounts and tokens and read the audit log; they do not read
// residents' records, so they get no queue or case permission.

// partner (issue 9): a social organisation's worker, who sees only the
// referrals sent to their organisation (StaffUser.organisationId).
export const STAFF_ROLES = ["caseworker", "supervisor", "admin", "partner"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const PERMISSIONS = [
  "dashboard.view",
  "queue.view",
  "queue.work",
  "queue.flagged",
  // Supervisors: put a call-back back in the queue whoever holds it, or give
  // it to a caseworker (granted like queue.flagged: admins do not work the queue).
  "queue.supervise",
  "case.view",
  "case.act",
  "case.approve_large",
  "audit.view",
  "audit.export",
  "admin.staff",
  "admin.tokens",
  // Outreach leads (issue 6): see the ranked list and a lead's figures; upload
  // departmental files, log contacts, send invitations, dismiss.
  "outreach.view",
  "outreach.work",
  // Objections to the public notice list: supervisors decide them.
  "notice.objections",
  // Everything held about one resident (issue 7): see it and download it;
  // erase it on the resident's request. Supervisors only.
  "resident.export",
  "resident.erase",
  // Assistance plans (issue 9): propose, adjust and agree a case's plan; the
  // catalogue of social organisations and their services (admins); a
  // partner's own referrals (accept, decline, report delivery).
  "plan.work",
  "services.manage",
  "referral.partner",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const CASEWORKER: readonly Permission[] = ["dashboard.view", "queue.view", "queue.work", "case.view", "case.act", "outreach.view", "outreach.work", "plan.work"];

const GRANTS: Record<StaffRole, ReadonlySet<Permission>> = {
  caseworker: new Set(CASEWORKER),
  supervisor: new Set<Permission>([...CASEWORKER, "queue.flagged", "queue.supervise", "case.approve_large", "audit.view", "audit.export", "notice.objections", "resident.export", "resident.erase"]),
  admin: new Set<Permission>(["dashboard.view", "audit.view", "audit.export", "admin.staff", "admin.tokens", "services.manage"]),
  partner: new Set<Permission>(["referral.partner"]),
};

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === "string" && (STAFF_ROLES as readonly string[]).includes(value);
}

/** True when the role has the permission; an unknown role has none. */
export function can(role: string, permission: Permission): boolean {
  return isStaffRole(role) && GRANTS[role].has(permission);
}
