// Layout of the partner pages (/partner/*, issue 9): the same site layout as
// every page, who is signed in and for which organisation, a sign-out button
// (the staff sign-out: partners sign in on the staff login page), and when
// the session ends with a plain "Stay signed in" form (the staff one, which
// brings a partner back here; with script, the staff idle warning too). Only
// role partner with an organisation gets in; every other role gets 403,
// anyone signed out goes to the login page.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { isRouteErrorResponse, Outlet, useLoaderData, useLocation, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PARTNER_LAYOUT_ROUTE_ID, PartnerCsrfInput } from "~/components/partner/csrf-input";
import { IdleWarning } from "~/components/staff/idle-warning";
import { formatShanghai } from "~/domain/time/shanghai-format";
import { translatorFor } from "~/services/i18n.server";
import { requirePartner } from "~/services/partner-session.server";

export const handle = { i18n: ["common", "staff", "partner", "case"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePartner(request);
  const { lng } = await translatorFor(request, "partner");
  return json(
    {
      displayName: ctx.staff.displayName,
      organisation: ctx.organisation.name,
      csrfToken: ctx.csrfToken,
      endsAt: formatShanghai(lng, ctx.expiresAt, "time"),
      remainingMs: ctx.expiresAt.getTime() - Date.now(),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

type PartnerLayoutData = ReturnType<typeof useLoaderData<typeof loader>>;

function PartnerFrame({ data, children }: { data: PartnerLayoutData; children: React.ReactNode }) {
  const { t } = useTranslation(["partner", "staff"]);
  const location = useLocation();
  return (
    <div className="staff partner">
      <div className="staff-bar">
        <p className="staff-who">{t("layout.signedInAs", { name: data.displayName, organisation: data.organisation })}</p>
        <form method="post" action="/staff/logout" className="staff-signout">
          <PartnerCsrfInput />
          <button type="submit" className="link-button">
            {t("layout.signOut")}
          </button>
        </form>
      </div>
      <form method="post" action="/staff/session" className="staff-session">
        <PartnerCsrfInput />
        <input type="hidden" name="next" value={`${location.pathname}${location.search}`} />
        <p>{t("staff:session.until", { time: data.endsAt })}</p>
        <button type="submit" className="button secondary">
          {t("staff:session.stay")}
        </button>
      </form>
      <IdleWarning remainingMs={data.remainingMs} csrfToken={data.csrfToken} />
      {children}
    </div>
  );
}

export default function PartnerLayout() {
  const data = useLoaderData<typeof loader>();
  return (
    <PartnerFrame data={data}>
      <Outlet />
    </PartnerFrame>
  );
}

/** 403 (not a partner), 404 (no such referral of theirs) or anything else, in plain words. */
export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>(PARTNER_LAYOUT_ROUTE_ID);
  const { t } = useTranslation("partner");
  const kind = isRouteErrorResponse(error) && (error.status === 403 || error.status === 404) ? String(error.status) : "other";
  const body = (
    <>
      <title>{`${t(`errors.${kind}.title`)} – ${t("layout.title")}`}</title>
      <h1>{t(`errors.${kind}.title`)}</h1>
      <p>{t(`errors.${kind}.body`)}</p>
      <p>
        <a href="/partner">{t("errors.back")}</a>
      </p>
    </>
  );
  return data ? <PartnerFrame data={data}>{body}</PartnerFrame> : body;
}
