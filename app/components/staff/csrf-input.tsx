// The hidden "csrf" field every state-changing staff form carries. The token
// comes from the staff layout route's data (one per session), and
// requireStaffAction compares it with the session's.
import { useRouteLoaderData } from "@remix-run/react";

export const STAFF_LAYOUT_ROUTE_ID = "routes/staff";

export function useStaffLayoutData(): { csrfToken: string } | undefined {
  return useRouteLoaderData(STAFF_LAYOUT_ROUTE_ID) as { csrfToken: string } | undefined;
}

export function CsrfInput() {
  const data = useStaffLayoutData();
  return <input type="hidden" name="csrf" value={data?.csrfToken ?? ""} />;
}
