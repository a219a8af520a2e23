// The catalogue pages (admins, services.manage): add an organisation (400 with
// a message per field), change it, stop and start it, add, change and stop
// services; each change audited; caseworkers and partners get 403.
import { beforeAll, describe, expect, it } from "vitest";
import { action as listAction, loader as listLoader } from "~/routes/staff.admin.organisations._index";
import { action as itemAction, loader as itemLoader } from "~/routes/staff.admin.organisations.$id";
import { DEMO_ORGANISATIONS, serviceOptions } from "~/models/organisation.server";
import { seedDatabase } from "../../../prisma/seed";
import { db } from "~/services/db.server";
import { callRoute, signInAs, staffGet, staffPost, type TestStaffSession } from "../../support/staff";

let admin: TestStaffSession;
let caseworker: TestStaffSession;

beforeAll(async () => {
  admin = await signInAs("admin");
  caseworker = await signInAs("caseworker");
});

const GOOD = { name: "Sunshine Care", district: "xicheng", contactName: "Ms Zhang", contactPhone: "010-65550101", capacity: "12" };

function add(fields: Record<string, string>, who = admin) {
  return callRoute(listAction, staffPost("/staff/admin/organisations?lng=en", who, fields));
}

function act(id: string, fields: Record<string, string | string[]>, who = admin) {
  return callRoute(itemAction, staffPost(`/staff/admin/organisations/${id}?lng=en`, who, fields), { params: { id } });
}

describe("organisations", () => {
  it("refuses a bad form with a message per field (400) and makes nothing", async () => {
    const before = await db.socialOrganisation.count();
    const answer = await add({ ...GOOD, name: "", district: "atlantis", contactPhone: "phone", capacity: "many" });
    expect(answer.status).toBe(400);
    expect(answer.data!.errors).toEqual({
      name: "Enter the organisation's name",
      district: "Choose a district from the list",
      contactPhone: "Enter a phone number like 010-65550101 or 13812345678",
      capacity: "Enter the number of places as a whole number, like 20",
    });
    expect(answer.data!.values).toMatchObject({ contactName: "Ms Zhang" });
    expect(await db.socialOrganisation.count()).toBe(before);
  });

  it("adds, lists, changes, stops and starts an organisation, audited", async () => {
    const added = await add(GOOD);
    expect(added.status).toBe(303);
    const id = added.location!.match(/^\/staff\/admin\/organisations\/([^?]+)\?done=added$/)![1];
    expect(await db.socialOrganisation.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: "Sunshine Care", district: "xicheng", capacity: 12, active: true });

    const list = await callRoute(listLoader, staffGet("/staff/admin/organisations?lng=en", admin));
    expect(list.status).toBe(200);
    expect((list.data!.organisations as Array<{ name: string; district: string; room: string }>).find((o) => o.name === "Sunshine Care")).toMatchObject({ district: "Xicheng", room: "0 of 12 places used" });

    const badSave = await act(id, { intent: "save", ...GOOD, capacity: "0" });
    expect(badSave.status).toBe(400);
    expect(badSave.data!.errors).toEqual({ capacity: "The number of places must be between 1 and 10000" });
    expect((await act(id, { intent: "save", ...GOOD, capacity: "30", name: "Sunshine Care Centre" })).location).toBe(`/staff/admin/organisations/${id}?done=saved`);
    expect(await db.socialOrganisation.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: "Sunshine Care Centre", capacity: 30 });

    expect((await act(id, { intent: "deactivate" })).location).toBe(`/staff/admin/organisations/${id}?done=deactivated`);
    expect((await db.socialOrganisation.findUniqueOrThrow({ where: { id } })).active).toBe(false);
    expect((await act(id, { intent: "activate" })).status).toBe(303);
    expect((await db.socialOrganisation.findUniqueOrThrow({ where: { id } })).active).toBe(true);

    const actions = (await db.auditEntry.findMany({ where: { subjectId: id }, orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["create_organisation", "update_organisation", "deactivate_organisation", "activate_organisation"]);
    // the contact's name and phone are not in the audit log
    expect(JSON.stringify(await db.auditEntry.findMany({ where: { subjectId: id } }))).not.toMatch(/Ms Zhang|65550101/);
  });

  it("adds, changes and stops services with their needs; the matcher sees it", async () => {
    const id = (await db.socialOrganisation.create({ data: { name: "Study Hall", district: "haidian", contactName: "C", contactPhone: "010-65550303", capacity: 3 } })).id;
    const empty = await act(id, { intent: "addService", serviceName: "" });
    expect(empty.status).toBe(400);
    expect(empty.data!.errors).toEqual({ serviceName: "Enter the service's name", needs: "Choose at least one need the service meets" });
    const wrongNeed = await act(id, { intent: "addService", serviceName: "Tutoring", needs: ["flying"] });
    expect(wrongNeed.data!.errors).toEqual({ needs: "Choose needs from the list" });

    expect((await act(id, { intent: "addService", serviceName: "Tutoring", needs: ["tutoring", "psychological_support"] })).location).toBe(`/staff/admin/organisations/${id}?done=serviceAdded`);
    const service = await db.organisationService.findFirstOrThrow({ where: { organisationId: id } });
    expect(JSON.parse(service.needs)).toEqual(["tutoring", "psychological_support"]);

    const badEdit = await act(id, { intent: "saveService", serviceId: service.id, [`serviceName-${service.id}`]: "Tutoring", [`needs-${service.id}`]: [] as string[] });
    expect(badEdit.status).toBe(400);
    expect(badEdit.data!.errors).toEqual({ [`needs-${service.id}`]: "Choose at least one need the service meets" });
    expect((await act(id, { intent: "saveService", serviceId: service.id, [`serviceName-${service.id}`]: "After-school help", [`needs-${service.id}`]: ["tutoring"] })).status).toBe(303);
    expect(await db.organisationService.findUniqueOrThrow({ where: { id: service.id } })).toMatchObject({ name: "After-school help", needs: '["tutoring"]' });

    expect((await serviceOptions(db)).find((o) => o.id === service.id)).toMatchObject({ active: true, needs: ["tutoring"], capacity: 3, openReferrals: 0 });
    expect((await act(id, { intent: "deactivateService", serviceId: service.id })).location).toBe(`/staff/admin/organisations/${id}?done=serviceDeactivated`);
    expect((await serviceOptions(db)).find((o) => o.id === service.id)!.active).toBe(false);

    // a service of another organisation is not this page's
    const other = await db.socialOrganisation.create({ data: { name: "Other", district: "haidian", contactName: "O", contactPhone: "010-65550404", capacity: 1, services: { create: { name: "X", needs: '["tutoring"]' } } }, include: { services: true } });
    const foreign = await act(id, { intent: "deactivateService", serviceId: other.services[0].id });
    expect(foreign.status).toBe(400);
    expect((await db.organisationService.findUniqueOrThrow({ where: { id: other.services[0].id } })).active).toBe(true);

    const shown = await callRoute(itemLoader, staffGet(`/staff/admin/organisations/${id}?lng=en`, admin), { params: { id } });
    expect(shown.status).toBe(200);
    expect((shown.data!.organisation as { services: Array<{ name: string; active: boolean }> }).services).toEqual([expect.objectContaining({ name: "After-school help", active: false })]);
  });

  it("caseworkers and partners may not open or change the catalogue; an unknown organisation is 404", async () => {
    const partner = await signInAs("partner");
    for (const who of [caseworker, partner]) {
      expect((await callRoute(listLoader, staffGet("/staff/admin/organisations", who))).status).toBe(403);
      expect((await add(GOOD, who)).status).toBe(403);
    }
    expect((await callRoute(itemLoader, staffGet("/staff/admin/organisations/nope", admin), { params: { id: "nope" } })).status).toBe(404);
  });

  it("demo mode seeds a few organisations and services once, so the console is usable", async () => {
    await seedDatabase(db, { demo: true });
    await seedDatabase(db, { demo: true });
    const ids = DEMO_ORGANISATIONS.map((o) => o.id);
    expect(await db.socialOrganisation.count({ where: { id: { in: ids } } })).toBe(3);
    expect(await db.organisationService.count({ where: { organisationId: { in: ids } } })).toBe(5);
    const options = await serviceOptions(db);
    for (const need of ["disability_care", "psychological_support", "job_training", "tutoring"]) expect(options.some((o) => o.active && o.needs.includes(need as never) && ids.includes(o.organisationId as never)), need).toBe(true);
  });
});
