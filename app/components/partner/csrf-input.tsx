// The hidden "csrf" field of every partner form: the token comes from the
// partner layout's data (app/routes/partner.tsx), as on staff pages.
import { useRouteLoaderData } from "@remix-run/react";

export const PARTNER_LAYOUT_ROUTE_ID = "routes/partner";

export function PartnerCsrfInput() {
  const data = useRouteLoaderData(PARTNER_LAYOUT_ROUTE_ID) as { csrfToken: string } | undefined;
  return <input type="hidden" name="csrf" value={data?.csrfToken ?? ""} />;
}
