// The staff CSRF check of every /apply action. In staff-assisted mode (a
// caseworker working on a resident's draft from their own signed-in browser;
// see app/models/application-draft.server.ts) a post to /apply changes a
// draft in the caseworker's name, so it is a staff action like any other and
// must carry the staff session's CSRF token (field "csrf", rendered by
// <AssistedCsrfField /> from the apply layout's data), else 403 before
// anything is read or changed, as requireStaffAction answers staff forms.
// A resident's own journey is not in assisted mode and is let through
// untouched: no token is asked for and the body is not read here.
//
// Each apply route's action is `assistedCsrf(...)` around its own work (a
// function call inside `export function action`, never at module level: see
// tests/integration/repeats/guard-coverage.test.ts), so the rule lives here once.
import { loadApplyState } from "~/models/application-draft.server";
import { discardBody } from "./api-errors.server";
import { db } from "./db.server";
import { requireStaffAction, type StaffContext } from "./staff-session.server";

/** The field (and, for uploads, the query parameter) holding the token. */
export const ASSISTED_CSRF_FIELD = "csrf";

function isMultipart(request: Request): boolean {
  return (request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
}

/**
 * The fields the token is read from. Uploads stream their body to disk and
 * refuse unknown parts, and the check must come before a byte is stored, so
 * their token is in the form's action URL (as the one-time "_once" token is);
 * every other form sends it in its body (read from a copy: the action reads
 * the original as before).
 */
async function tokenFields(request: Request): Promise<FormData> {
  if (isMultipart(request)) {
    const fields = new FormData();
    const token = new URL(request.url).searchParams.get(ASSISTED_CSRF_FIELD);
    if (token !== null) fields.set(ASSISTED_CSRF_FIELD, token);
    return fields;
  }
  return request
    .clone()
    .formData()
    .catch(() => new FormData());
}

/**
 * In assisted mode: the caseworker (requireStaffAction with queue.work, the
 * form's token checked), or a thrown 403. Not in assisted mode: null, and
 * nothing is read.
 */
export async function requireAssistedCsrf(request: Request): Promise<StaffContext | null> {
  if (request.method === "GET" || request.method === "HEAD") return null;
  const { assisted } = await loadApplyState(db, request);
  if (!assisted) return null;
  try {
    return await requireStaffAction(request, await tokenFields(request), "queue.work");
  } catch (refusal) {
    // An upload refused before its body was read: read it to the end, so the connection can serve the next request.
    if (isMultipart(request) && !request.bodyUsed && !(await discardBody(request)) && refusal instanceof Response) {
      refusal.headers.set("Connection", "close");
    }
    throw refusal;
  }
}

/** Wraps an /apply route's action: the staff CSRF check above first, then the action. */
export function assistedCsrf<Args extends { request: Request }, R>(action: (args: Args) => Promise<R>): (args: Args) => Promise<R> {
  return async (args: Args) => {
    await requireAssistedCsrf(args.request);
    return action(args);
  };
}
