// Staff accounts and sign-in throttling. Only this module reads or writes the
// StaffUser and LoginFailure tables.
//
// Throttling: 5 wrong passwords in a row lock the account for 15 minutes (a
// right password resets the count); and one client address may fail at most
// 20 times in 15 minutes, whatever usernames it tries. LoginFailure keeps the
// address only for that window's purpose (purgeLoginFailures drops old rows).
//
// Admin changes to an account (create, role, disable/enable, unlock, new
// password) take the admin as `who` and write the change and its audit entry
// in ONE transaction: a crash or a failed audit write between them cannot
// leave a change without its record. Passwords are hashed before the
// transaction opens (argon2id takes a while; the write lock should not wait).
import type { StaffRole } from "~/domain/staff/permissions";
import type { Prisma } from "~/generated/prisma/client";
import { recordAudit, type AuditInput } from "~/services/audit.server";
import type { Db } from "~/services/db.server";
import { hashPassword } from "~/services/password.server";

export type { StaffRole } from "~/domain/staff/permissions";

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MS = 15 * 60_000;
export const IP_WINDOW_MS = 15 * 60_000;
export const MAX_IP_FAILURES = 20;

export interface NewStaffUser {
  username: string;
  displayName: string;
  role: StaffRole;
  password: string;
}

/** Usernames are compared without case or surrounding spaces. */
export function normalizeUsername(value: string): string {
  return value.trim().toLowerCase();
}

/** Creates the account unless the username exists; never overwrites a changed password. */
export async function ensureStaffUser(db: Db, user: NewStaffUser): Promise<void> {
  const existing = await db.staffUser.findUnique({ where: { username: user.username }, select: { id: true } });
  if (existing) return;
  await db.staffUser.create({
    data: {
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      passwordHash: await hashPassword(user.password),
    },
  });
}

export interface LoginCandidate {
  id: string;
  username: string;
  role: string;
  passwordHash: string;
  lockedUntil: Date | null;
  disabledAt: Date | null;
}

export function findStaffForLogin(db: Db, username: string): Promise<LoginCandidate | null> {
  return db.staffUser.findUnique({
    where: { username: normalizeUsername(username) },
    select: { id: true, username: true, role: true, passwordHash: true, lockedUntil: true, disabledAt: true },
  });
}

/** When this address may try again, if it failed too often lately; null when it may try now. */
export async function ipBlockedUntil(db: Db, ip: string | null, now: Date = new Date()): Promise<Date | null> {
  if (!ip) return null;
  const since = new Date(now.getTime() - IP_WINDOW_MS);
  const recent = await db.loginFailure.findMany({
    where: { ip, at: { gt: since } },
    orderBy: { at: "desc" },
    take: MAX_IP_FAILURES,
    select: { at: true },
  });
  if (recent.length < MAX_IP_FAILURES) return null;
  return new Date(recent[recent.length - 1].at.getTime() + IP_WINDOW_MS);
}

/**
 * Counts a wrong password (or an unknown username). Returns when the account
 * became locked by this failure, or null.
 */
export async function recordLoginFailure(
  db: Db,
  { staffUserId, username, ip }: { staffUserId: string | null; username: string; ip: string | null },
  now: Date = new Date(),
): Promise<Date | null> {
  return db.$transaction(async (tx) => {
    await tx.loginFailure.create({ data: { username: normalizeUsername(username).slice(0, 100), ip, at: now } });
    if (!staffUserId) return null;
    const user = await tx.staffUser.update({ where: { id: staffUserId }, data: { failedLogins: { increment: 1 } }, select: { failedLogins: true } });
    if (user.failedLogins < MAX_FAILED_LOGINS) return null;
    const lockedUntil = new Date(now.getTime() + LOCK_MS);
    await tx.staffUser.update({ where: { id: staffUserId }, data: { failedLogins: 0, lockedUntil } });
    return lockedUntil;
  });
}

export async function recordLoginSuccess(db: Db, staffUserId: string, now: Date = new Date()): Promise<void> {
  await db.staffUser.update({ where: { id: staffUserId }, data: { failedLogins: 0, lockedUntil: null, lastLoginAt: now } });
}

/** Failures older than a day say nothing about throttling any more. */
export async function purgeLoginFailures(db: Db, now: Date = new Date()): Promise<number> {
  const { count } = await db.loginFailure.deleteMany({ where: { at: { lt: new Date(now.getTime() - 24 * 3600_000) } } });
  return count;
}

// ---- Admin: accounts ----

/** The admin making a change, as the audit log writes them (staffActor in the routes). */
export interface StaffAuditor {
  actor: string;
  actorName: string;
}

type Tx = Prisma.TransactionClient;
type AuditEntry = Pick<AuditInput, "action" | "detail">;
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 } as const;

/** The change, then its audit entry on the account, in one transaction (without `who`: the change alone). */
async function audited<T>(db: Db, who: StaffAuditor | undefined, subjectId: (result: T) => string, change: (tx: Db | Tx) => Promise<T>, entry: (result: T) => AuditEntry | null): Promise<T> {
  if (!who) return change(db);
  return db.$transaction(async (tx) => {
    const result = await change(tx);
    const e = entry(result);
    if (e) await recordAudit(tx, { ...who, subjectType: "staff_user", subjectId: subjectId(result), ...e });
    return result;
  }, TRANSACTION_OPTIONS);
}

export interface StaffListItem {
  id: string;
  username: string;
  displayName: string;
  role: string;
  disabledAt: Date | null;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
}

export function listStaff(db: Db): Promise<StaffListItem[]> {
  return db.staffUser.findMany({
    orderBy: [{ disabledAt: "asc" }, { username: "asc" }],
    select: { id: true, username: true, displayName: true, role: true, disabledAt: true, lockedUntil: true, lastLoginAt: true, createdAt: true },
  });
}

export function findStaff(db: Db, id: string): Promise<StaffListItem | null> {
  return db.staffUser.findUnique({
    where: { id },
    select: { id: true, username: true, displayName: true, role: true, disabledAt: true, lockedUntil: true, lastLoginAt: true, createdAt: true },
  });
}

export async function usernameTaken(db: Db, username: string): Promise<boolean> {
  return (await db.staffUser.count({ where: { username: normalizeUsername(username) } })) > 0;
}

/** A new account (a partner's with its organisation); with `who`, audited as create_staff in the same transaction. */
export async function createStaff(db: Db, user: NewStaffUser & { organisationId?: string | null }, who?: StaffAuditor): Promise<{ id: string }> {
  const passwordHash = await hashPassword(user.password);
  return audited(
    db,
    who,
    (made) => made.id,
    async (tx) => {
      const made = await tx.staffUser.create({
        data: { username: normalizeUsername(user.username), displayName: user.displayName.trim(), role: user.role, passwordHash },
        select: { id: true },
      });
      // The same write as setStaffOrganisation (referral.server.ts), which imports this module.
      if (user.organisationId) await tx.staffUser.update({ where: { id: made.id }, data: { organisationId: user.organisationId } });
      return made;
    },
    () => ({ action: "create_staff", detail: user.organisationId ? { role: user.role, organisationId: user.organisationId } : { role: user.role } }),
  );
}

/** A new role (and a partner's organisation); with `who`, audited as change_staff_role with `detail`. */
export async function setStaffRole(db: Db, id: string, role: StaffRole, who?: StaffAuditor, change?: { organisationId: string | null; detail: Record<string, unknown> }): Promise<void> {
  await audited(
    db,
    who,
    () => id,
    async (tx) => {
      await tx.staffUser.update({ where: { id }, data: change ? { role, organisationId: change.organisationId } : { role } });
    },
    () => ({ action: "change_staff_role", detail: change?.detail ?? { to: role } }),
  );
}

export async function setStaffDisabled(db: Db, id: string, disabled: boolean, now: Date = new Date(), who?: StaffAuditor): Promise<void> {
  await audited(
    db,
    who,
    () => id,
    async (tx) => {
      await tx.staffUser.update({ where: { id }, data: { disabledAt: disabled ? now : null } });
    },
    () => ({ action: disabled ? "disable_staff" : "enable_staff" }),
  );
}

export async function unlockStaff(db: Db, id: string, who?: StaffAuditor): Promise<void> {
  await audited(
    db,
    who,
    () => id,
    async (tx) => {
      await tx.staffUser.update({ where: { id }, data: { failedLogins: 0, lockedUntil: null } });
    },
    () => ({ action: "unlock_staff" }),
  );
}

export async function resetStaffPassword(db: Db, id: string, password: string, who?: StaffAuditor): Promise<void> {
  const passwordHash = await hashPassword(password);
  await audited(
    db,
    who,
    () => id,
    async (tx) => {
      await tx.staffUser.update({ where: { id }, data: { passwordHash, failedLogins: 0, lockedUntil: null } });
    },
    () => ({ action: "reset_staff_password" }),
  );
}

/** Live admins other than this one: the last admin may not remove their own access. */
export function countOtherActiveAdmins(db: Db, exceptId: string): Promise<number> {
  return db.staffUser.count({ where: { role: "admin", disabledAt: null, id: { not: exceptId } } });
}
