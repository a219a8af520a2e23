// The service catalogue (issue 9): social organisations (社会组织) with their
// district, contact and capacity, and the services each offers, tagged with
// the needs they meet. Admins (services.manage) make, change and deactivate
// them; nothing is deleted, since referrals point at them. Every change is
// audited (ids and fields changed, never the contact's name or phone), in the
// same transaction as the change.
// serviceOptions gives the matcher (app/domain/plan) each active or not
// service with its organisation's open referrals (sent or accepted).
import { isNeedCode, type NeedCode, type OrganisationInput, type ServiceInput, type ServiceOption } from "~/domain/plan";
import type { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/services/audit.server";
import { WRITE_TRANSACTION, type Db } from "~/services/db.server";

/** Who changes the catalogue: for the audit log. */
export interface CatalogueActor {
  actor: string;
  actorName: string;
}

/** Referral statuses that take one of an organisation's places. */
export const OPEN_REFERRAL_STATUSES = ["sent", "accepted"] as const;

export interface CatalogueService {
  id: string;
  name: string;
  needs: NeedCode[];
  active: boolean;
}

export interface CatalogueOrganisation {
  id: string;
  name: string;
  district: string;
  contactName: string;
  contactPhone: string;
  capacity: number;
  active: boolean;
  openReferrals: number;
  services: CatalogueService[];
}

export function parseNeeds(text: string): NeedCode[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter(isNeedCode) : [];
  } catch {
    return [];
  }
}

/** Open referrals (sent or accepted) per organisation id. */
export async function openReferralCounts(db: Db): Promise<Map<string, number>> {
  const rows = await db.referral.groupBy({ by: ["organisationId"], where: { status: { in: [...OPEN_REFERRAL_STATUSES] } }, _count: { _all: true } });
  return new Map(rows.map((r) => [r.organisationId, Number(r._count._all)]));
}

const ORGANISATION_SELECT = {
  id: true,
  name: true,
  district: true,
  contactName: true,
  contactPhone: true,
  capacity: true,
  active: true,
  services: { orderBy: [{ createdAt: "asc" as const }, { id: "asc" as const }], select: { id: true, name: true, needs: true, active: true } },
};

/** Every organisation (active first, then by name) with its services and open referrals. */
export async function listOrganisations(db: Db): Promise<CatalogueOrganisation[]> {
  const [rows, open] = await Promise.all([db.socialOrganisation.findMany({ orderBy: [{ active: "desc" }, { name: "asc" }, { id: "asc" }], select: ORGANISATION_SELECT }), openReferralCounts(db)]);
  return rows.map((row) => ({ ...row, openReferrals: open.get(row.id) ?? 0, services: row.services.map((s) => ({ ...s, needs: parseNeeds(s.needs) })) }));
}

export async function getOrganisation(db: Db, id: string): Promise<CatalogueOrganisation | null> {
  if (id.length === 0 || id.length > 64) return null;
  const row = await db.socialOrganisation.findUnique({ where: { id }, select: ORGANISATION_SELECT });
  if (!row) return null;
  const open = await db.referral.count({ where: { organisationId: id, status: { in: [...OPEN_REFERRAL_STATUSES] } } });
  return { ...row, openReferrals: open, services: row.services.map((s) => ({ ...s, needs: parseNeeds(s.needs) })) };
}

type Tx = Prisma.TransactionClient;

async function audit(tx: Tx, who: CatalogueActor, action: string, subjectType: string, subjectId: string, detail: Record<string, unknown>) {
  await recordAudit(tx, { actor: who.actor, actorName: who.actorName, action, subjectType, subjectId, detail });
}

// Each change and its audit entry are one transaction: both are written or neither.
export async function createOrganisation(db: Db, input: OrganisationInput, who: CatalogueActor): Promise<{ id: string }> {
  return db.$transaction(async (tx) => {
    const row = await tx.socialOrganisation.create({ data: { ...input }, select: { id: true } });
    await audit(tx, who, "create_organisation", "organisation", row.id, { district: input.district, capacity: input.capacity });
    return row;
  }, WRITE_TRANSACTION);
}

export async function updateOrganisation(db: Db, id: string, input: OrganisationInput, who: CatalogueActor): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.socialOrganisation.updateMany({ where: { id }, data: { ...input } });
    if (count === 1) await audit(tx, who, "update_organisation", "organisation", id, { district: input.district, capacity: input.capacity });
    return count === 1;
  }, WRITE_TRANSACTION);
}

/** Deactivate (no new referrals; existing ones go on) or activate again. */
export async function setOrganisationActive(db: Db, id: string, active: boolean, who: CatalogueActor): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.socialOrganisation.updateMany({ where: { id, active: !active }, data: { active } });
    if (count === 1) await audit(tx, who, active ? "activate_organisation" : "deactivate_organisation", "organisation", id, {});
    return count === 1;
  }, WRITE_TRANSACTION);
}

export async function addService(db: Db, organisationId: string, input: ServiceInput, who: CatalogueActor): Promise<{ id: string } | null> {
  return db.$transaction(async (tx) => {
    const organisation = await tx.socialOrganisation.findUnique({ where: { id: organisationId }, select: { id: true } });
    if (!organisation) return null;
    const row = await tx.organisationService.create({ data: { organisationId, name: input.name, needs: JSON.stringify(input.needs) }, select: { id: true } });
    await audit(tx, who, "create_service", "organisation_service", row.id, { organisationId, needs: input.needs });
    return row;
  }, WRITE_TRANSACTION);
}

export async function updateService(db: Db, organisationId: string, serviceId: string, input: ServiceInput, who: CatalogueActor): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.organisationService.updateMany({ where: { id: serviceId, organisationId }, data: { name: input.name, needs: JSON.stringify(input.needs) } });
    if (count === 1) await audit(tx, who, "update_service", "organisation_service", serviceId, { organisationId, needs: input.needs });
    return count === 1;
  }, WRITE_TRANSACTION);
}

export async function setServiceActive(db: Db, organisationId: string, serviceId: string, active: boolean, who: CatalogueActor): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.organisationService.updateMany({ where: { id: serviceId, organisationId, active: !active }, data: { active } });
    if (count === 1) await audit(tx, who, active ? "activate_service" : "deactivate_service", "organisation_service", serviceId, { organisationId });
    return count === 1;
  }, WRITE_TRANSACTION);
}

/** Every service with what the matcher needs (active flags, needs, room). */
export async function serviceOptions(db: Db): Promise<ServiceOption[]> {
  const [rows, open] = await Promise.all([
    db.organisationService.findMany({
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, name: true, needs: true, active: true, organisation: { select: { id: true, name: true, district: true, active: true, capacity: true } } },
    }),
    openReferralCounts(db),
  ]);
  return rows.map((s) => ({
    id: s.id,
    name: s.name,
    organisationId: s.organisation.id,
    organisationName: s.organisation.name,
    district: s.organisation.district,
    needs: parseNeeds(s.needs),
    active: s.active,
    organisationActive: s.organisation.active,
    capacity: s.organisation.capacity,
    openReferrals: open.get(s.organisation.id) ?? 0,
  }));
}

// ---------------------------------------------------------------- demo catalogue

/** Fixed ids, so the demo seed is idempotent and partner demo accounts can point at them. */
export const DEMO_ORGANISATIONS = [
  {
    id: "demo-org-dongcheng-care",
    name: "东城区阳光助残服务中心 (demo)",
    district: "dongcheng",
    contactName: "张老师",
    contactPhone: "010-65550101",
    capacity: 20,
    services: [
      { id: "demo-svc-home-care", name: "上门照护 Home care", needs: ["disability_care"] },
      { id: "demo-svc-counselling-dc", name: "心理疏导 Counselling", needs: ["psychological_support"] },
    ],
  },
  {
    id: "demo-org-chaoyang-jobs",
    name: "朝阳区就业互助社 (demo)",
    district: "chaoyang",
    contactName: "刘老师",
    contactPhone: "010-65550202",
    capacity: 15,
    services: [{ id: "demo-svc-job-training", name: "技能培训 Job training", needs: ["job_training"] }],
  },
  {
    id: "demo-org-haidian-study",
    name: "海淀区青苗学业辅导站 (demo)",
    district: "haidian",
    contactName: "陈老师",
    contactPhone: "010-65550303",
    capacity: 30,
    services: [
      { id: "demo-svc-tutoring", name: "课后辅导 Tutoring", needs: ["tutoring"] },
      { id: "demo-svc-counselling-hd", name: "心理陪伴 Emotional support", needs: ["psychological_support"] },
    ],
  },
] as const;

/** Demo mode: a few organisations and services, so the console is usable at once. Idempotent. */
export async function ensureDemoOrganisations(db: Db): Promise<void> {
  for (const { services, ...organisation } of DEMO_ORGANISATIONS) {
    await db.socialOrganisation.upsert({ where: { id: organisation.id }, create: organisation, update: {} });
    for (const service of services) {
      await db.organisationService.upsert({
        where: { id: service.id },
        create: { id: service.id, organisationId: organisation.id, name: service.name, needs: JSON.stringify(service.needs) },
        update: {},
      });
    }
  }
}
