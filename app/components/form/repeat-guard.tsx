// The hidden one-time token of a state-changing form: a double click, the
// browser's "resend" or a retried POST then gets the first answer back and
// creates nothing (the server side and the reasons for this design are in
// app/services/idempotency.server.ts: repeatGuarded / onceOnly).
// The value is the root loader's per-page-load token: it is in the server
// render and in the hydrated page alike, and it changes after every action.
import { useRouteLoaderData } from "@remix-run/react";

/** The field's name (kept in step with ONCE_FIELD in idempotency.server.ts). */
export const ONCE_FIELD = "_once";

interface RootData {
  once?: string;
}

/** This page load's token ("" outside the root route, e.g. in an isolated test render). */
export function useOnceToken(): string {
  return useRouteLoaderData<RootData>("root")?.once ?? "";
}

/** Put inside every <form method="post"> that creates or sends something. */
export function RepeatGuard() {
  const once = useOnceToken();
  if (!once) return null;
  return <input type="hidden" name={ONCE_FIELD} value={once} />;
}

/** For upload forms, whose body is streamed: the token goes in the action URL. */
export function withOnceToken(action: string, once: string): string {
  if (!once) return action;
  return `${action}${action.includes("?") ? "&" : "?"}${ONCE_FIELD}=${encodeURIComponent(once)}`;
}
