// Seed data, applied at every start and idempotent: the rule-book versions
// (always) and the demo staff accounts (demo mode only; README lists them),
// with a few demo social organisations and services (issue 9).
import { RULE_VERSIONS } from "../app/domain/eligibility";
import { ensureApiToken, revokeApiTokenByValue } from "../app/models/api-token.server";
import { DEMO_ORGANISATIONS, ensureDemoOrganisations } from "../app/models/organisation.server";
import { ensureDemoPartner } from "../app/models/referral.server";
import { ensureStaffUser, type NewStaffUser } from "../app/models/staff.server";
import type { Db } from "../app/services/db.server";

export const DEMO_PASSWORD = "lifeline-demo-2026";

export const DEMO_STAFF: readonly NewStaffUser[] = [
  { username: "caseworker", displayName: "王社工 (demo caseworker)", role: "caseworker", password: DEMO_PASSWORD },
  { username: "supervisor", displayName: "李主任 (demo supervisor)", role: "supervisor", password: DEMO_PASSWORD },
  { username: "admin", displayName: "系统管理员 (demo admin)", role: "admin", password: DEMO_PASSWORD },
];

/** Bearer token of the demo partner, demo mode only (README: Partner API). */
export const DEMO_PARTNER_TOKEN = "ll_demo_partner_token";

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
    // Demo partner token for trying the Partner API (README); only its hash is stored.
    await ensureApiToken(db, { name: "Demo partner (社区服务中心)", scope: "partner", token: DEMO_PARTNER_TOKEN });
    // Demo social organisations and their services (issue 9), so plans can be made at once.
    await ensureDemoOrganisations(db);
    // Demo partner account (issue 9): signs in on /staff/login, sees that organisation's referrals on /partner.
    await ensureDemoPartner(db, { password: DEMO_PASSWORD, organisationId: DEMO_ORGANISATIONS[0].id });
  } else {
    // A database first used in demo mode must not keep a public token working.
    await revokeApiTokenByValue(db, DEMO_PARTNER_TOKEN);
  }
}
