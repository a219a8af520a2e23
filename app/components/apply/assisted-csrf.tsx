// The staff CSRF token in /apply forms. In staff-assisted mode the apply
// layout's data (app/routes/apply.tsx) holds the caseworker's session token and
// every state-changing form carries it (app/services/apply-csrf.server.ts
// refuses a post without it); a resident's own journey has no token, and these
// render nothing and change no URL.
import { useRouteLoaderData } from "@remix-run/react";

/** The apply layout's route id (app/routes/apply.tsx). */
export const APPLY_LAYOUT_ROUTE_ID = "routes/apply";
/** Kept in step with ASSISTED_CSRF_FIELD in app/services/apply-csrf.server.ts. */
const FIELD = "csrf";

interface ApplyLayoutData {
  /** the staff session's token in assisted mode, else null */
  csrf: string | null;
}

/** The staff session's token in assisted mode, else null. */
export function useAssistedCsrf(): string | null {
  const data = useRouteLoaderData(APPLY_LAYOUT_ROUTE_ID) as ApplyLayoutData | undefined;
  return data?.csrf ?? null;
}

/** Put inside every <form method="post"> of an /apply page. */
export function AssistedCsrfField() {
  const csrf = useAssistedCsrf();
  if (!csrf) return null;
  return <input type="hidden" name={FIELD} value={csrf} />;
}

/** For upload forms, whose body is streamed and checked only after the token: the token goes in the action URL. */
export function withAssistedCsrf(action: string, csrf: string | null): string {
  if (!csrf) return action;
  return `${action}${action.includes("?") ? "&" : "?"}${FIELD}=${encodeURIComponent(csrf)}`;
}
