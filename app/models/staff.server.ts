// Staff accounts and sign-in throttling. Only this module reads or writes the
// StaffUser and LoginFailure tables.
//
// Throttling: 5 wrong passwords in a row lock the account for 15 minutes (a
// right password resets the count); and one client address may fail at most
// 20 times in 15 minutes, whatever usernames it tries. LoginFailure keeps the
// address only for that window's purpose (purgeLoginFailures drops old rows).
import type { StaffRole } from "~/domain/staff/permissions";
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

export async function createStaff(db: Db, user: NewStaffUser): Promise<{ id: string }> {
  return db.staffUser.create({
    data: { username: normalizeUsername(user.username), displayName: user.displayName.trim(), role: user.role, passwordHash: await hashPassword(user.password) },
    select: { id: true },
  });
}

export async function setStaffRole(db: Db, id: string, role: StaffRole): Promise<void> {
  await db.staffUser.update({ where: { id }, data: { role } });
}

export async function setStaffDisabled(db: Db, id: string, disabled: boolean, now: Date = new Date()): Promise<void> {
  await db.staffUser.update({ where: { id }, data: { disabledAt: disabled ? now : null } });
}

export async function unlockStaff(db: Db, id: string): Promise<void> {
  await db.staffUser.update({ where: { id }, data: { failedLogins: 0, lockedUntil: null } });
}

export async function resetStaffPassword(db: Db, id: string, password: string): Promise<void> {
  await db.staffUser.update({ where: { id }, data: { passwordHash: await hashPassword(password), failedLogins: 0, lockedUntil: null } });
}

/** Live admins other than this one: the last admin may not remove their own access. */
export function countOtherActiveAdmins(db: Db, exceptId: string): Promise<number> {
  return db.staffUser.count({ where: { role: "admin", disabledAt: null, id: { not: exceptId } } });
}
