// The admin forms of the service catalogue, checked apart from the page: an
// organisation (name, district, contact, capacity) and a service (name, the
// needs it meets). Errors are codes per field; the route words them from
// namespace "plan" (plan:errors.<field>.<code>).
import { isDistrict, type District } from "~/domain/case/districts";
import { isNeedCode, type NeedCode } from "./needs";

export const NAME_MAX = 100;
export const CONTACT_NAME_MAX = 50;
export const CAPACITY_MAX = 10_000;
/** a caseworker's note on an added plan item */
export const NOTE_MAX_PLAN = 500;

export interface OrganisationInput {
  name: string;
  district: District;
  contactName: string;
  contactPhone: string;
  capacity: number;
}

export interface ServiceInput {
  name: string;
  needs: NeedCode[];
}

export type FormCheck<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");
const length = (value: string) => Array.from(value).length;

// A landline with its area code (010-12345678) or a mobile: digits, spaces, dashes, a leading +.
const CONTACT_PHONE = /^\+?[0-9][0-9 -]{5,18}[0-9]$/;

export function checkOrganisation(input: Record<string, unknown>): FormCheck<OrganisationInput> {
  const errors: Record<string, string> = {};
  const name = text(input.name);
  if (name === "") errors.name = "required";
  else if (length(name) > NAME_MAX) errors.name = "tooLong";
  const district = text(input.district);
  if (district === "") errors.district = "required";
  else if (!isDistrict(district)) errors.district = "invalid";
  const contactName = text(input.contactName);
  if (contactName === "") errors.contactName = "required";
  else if (length(contactName) > CONTACT_NAME_MAX) errors.contactName = "tooLong";
  const contactPhone = text(input.contactPhone);
  if (contactPhone === "") errors.contactPhone = "required";
  else if (!CONTACT_PHONE.test(contactPhone)) errors.contactPhone = "invalid";
  const capacityText = text(input.capacity);
  const capacity = Number(capacityText);
  if (capacityText === "") errors.capacity = "required";
  else if (!/^\d+$/.test(capacityText)) errors.capacity = "notWhole";
  else if (capacity < 1 || capacity > CAPACITY_MAX) errors.capacity = "range";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { name, district: district as District, contactName, contactPhone, capacity } };
}

export function checkService(input: { name: unknown; needs: unknown[] }): FormCheck<ServiceInput> {
  const errors: Record<string, string> = {};
  const name = text(input.name);
  if (name === "") errors.serviceName = "required";
  else if (length(name) > NAME_MAX) errors.serviceName = "tooLong";
  const needs = [...new Set(input.needs.filter((n): n is string => typeof n === "string"))];
  if (needs.length === 0) errors.needs = "required";
  else if (!needs.every(isNeedCode)) errors.needs = "invalid";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { name, needs: needs as NeedCode[] } };
}
