// Checks of the admin forms for staff accounts and API tokens. Pure: returns
// error codes per field; the route turns them into translated messages
// (locale namespace "admin", errors.<field>.<code>).
import { isStaffRole, type StaffRole } from "./permissions";

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,39}$/;
export const DISPLAY_NAME_MAX = 80;
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;
export const TOKEN_NAME_MAX = 100;
export const TOKEN_SCOPES = ["partner", "staff"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export type FieldCodes = Record<string, string>;
type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldCodes };

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

export function checkPassword(value: unknown): string | null {
  const password = typeof value === "string" ? value : "";
  if (password === "") return "missing";
  const length = [...password].length;
  if (length < PASSWORD_MIN) return "tooShort";
  if (length > PASSWORD_MAX) return "tooLong";
  return null;
}

export function checkRole(value: unknown): StaffRole | null {
  return isStaffRole(value) ? value : null;
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: StaffRole;
  password: string;
  /** role partner: the organisation whose referrals the account sees (issue 9); null for every other role */
  organisationId: string | null;
}

/**
 * Role partner needs an organisation (code "missing" on field organisationId);
 * any other role has none, whatever was sent. Whether the organisation exists
 * is the route's check.
 */
export function checkOrganisationFor(role: StaffRole | null, organisationId: unknown): { organisationId: string | null; error: string | null } {
  if (role !== "partner") return { organisationId: null, error: null };
  const id = text(organisationId);
  return id === "" ? { organisationId: null, error: "missing" } : { organisationId: id, error: null };
}

export function checkNewAccount(input: { username: unknown; displayName: unknown; role: unknown; password: unknown; organisationId?: unknown }): Checked<NewAccount> {
  const errors: FieldCodes = {};
  const username = text(input.username).toLowerCase();
  if (username === "") errors.username = "missing";
  else if (!USERNAME_PATTERN.test(username)) errors.username = "invalid";
  const displayName = text(input.displayName);
  if (displayName === "") errors.displayName = "missing";
  else if ([...displayName].length > DISPLAY_NAME_MAX) errors.displayName = "tooLong";
  const role = checkRole(input.role);
  if (!role) errors.role = "missing";
  const organisation = checkOrganisationFor(role, input.organisationId);
  if (organisation.error) errors.organisationId = organisation.error;
  const password = checkPassword(input.password);
  if (password) errors.password = password;
  if (Object.keys(errors).length > 0 || !role) return { ok: false, errors };
  return { ok: true, value: { username, displayName, role, password: input.password as string, organisationId: organisation.organisationId } };
}

export function checkNewToken(input: { name: unknown; scope: unknown }): Checked<{ name: string; scope: TokenScope }> {
  const errors: FieldCodes = {};
  const name = text(input.name);
  if (name === "") errors.name = "missing";
  else if ([...name].length > TOKEN_NAME_MAX) errors.name = "tooLong";
  const scope = (TOKEN_SCOPES as readonly string[]).includes(input.scope as string) ? (input.scope as TokenScope) : null;
  if (!scope) errors.scope = "missing";
  if (Object.keys(errors).length > 0 || !scope) return { ok: false, errors };
  return { ok: true, value: { name, scope } };
}
