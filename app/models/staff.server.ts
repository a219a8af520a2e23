// Staff accounts. Only this module reads or writes the StaffUser table.
import type { Db } from "~/services/db.server";
import { hashPassword } from "~/services/password.server";

export type StaffRole = "caseworker" | "supervisor" | "admin";

export interface NewStaffUser {
  username: string;
  displayName: string;
  role: StaffRole;
  password: string;
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
