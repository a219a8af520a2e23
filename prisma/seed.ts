// Seed data, applied at every start and idempotent: the rule-book versions
// (always) and the demo staff accounts (demo mode only; README lists them).
import { RULE_VERSIONS } from "../app/domain/eligibility";
import { ensureStaffUser, type NewStaffUser } from "../app/models/staff.server";
import type { Db } from "../app/services/db.server";

export const DEMO_PASSWORD = "lifeline-demo-2026";

export const DEMO_STAFF: readonly NewStaffUser[] = [
  { username: "caseworker", displayName: "王社工 (demo caseworker)", role: "caseworker", password: DEMO_PASSWORD },
  { username: "supervisor", displayName: "李主任 (demo supervisor)", role: "supervisor", password: DEMO_PASSWORD },
  { username: "admin", displayName: "系统管理员 (demo admin)", role: "admin", password: DEMO_PASSWORD },
];

export async function seedDatabase(db: Db, { demo }: { demo: boolean }): Promise<void> {
  for (const version of RULE_VERSIONS) {
    const parameters = JSON.stringify(version.parameters);
    await db.ruleVersion.upsert({
      where: { id: version.id },
      create: { id: version.id, effectiveFrom: version.effectiveFrom, parameters },
      update: { effectiveFrom: version.effectiveFrom, parameters },
    });
  }
  if (demo) {
    for (const user of DEMO_STAFF) await ensureStaffUser(db, user);
  }
}
