// The catalogue forms' error codes in words (namespace "plan"), keyed by the
// input's id: the shared part of the two admin pages.
import { CAPACITY_MAX, CONTACT_NAME_MAX, NAME_MAX } from "./catalogue-form";
import type { Translate } from "./explain";

const MAX: Record<string, number> = { name: NAME_MAX, serviceName: NAME_MAX, contactName: CONTACT_NAME_MAX, capacity: CAPACITY_MAX };

/** field → message; `idOf` maps a field to its input id (a service's fields carry the service id). */
export function catalogueErrors(t: Translate, errors: Record<string, string>, idOf: (field: string) => string = (f) => f): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([field, code]) => [idOf(field), t(`plan:errors.${field}.${code}`, { max: MAX[field] ?? 0 })]));
}
