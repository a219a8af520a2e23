// Layout of every signed-in staff page (/staff/*): who is signed in, the staff
// navigation (only the pages the role may open), a sign-out button, and when
// the session ends with a plain "Stay signed in" form (works without script);
// with script, a warning 2 minutes before the end. Child routes still check
// their own permission: this loader only proves someone is signed in.
// A 403 or 404 from a child is shown here, inside the staff frame.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { isRouteErrorResponse, Outlet, useLoaderData, useLocation, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, STAFF_LAYOUT_ROUTE_ID } from "~/components/staff/csrf-input";
import { IdleWarning } from "~/components/staff/idle-warning";
import { can, type Permission } from "~/domain/staff/permissions";
import type { Language } from "~/i18n";
import { translatorFor } from "~/services/i18n.server";
import { requireStaff } from "~/services/staff-session.server";
import { formatShanghai } from "~/domain/time/shanghai-format";

export const handle = { i18n: ["common", "staff"] };

const NAV: ReadonlyArray<{ href: string; key: string; permission: Permission }> = [
  { href: "/staff", key: "dashboard", permission: "dashboard.view" },
  { href: "/staff/callbacks", key: "callbacks", permission: "queue.view" },
  { href: "/staff/cases", key: "cases", permission: "case.view" },
  { href: "/staff/objections", key: "objections", permission: "notice.objections" },
  { href: "/staff/outreach", key: "outreach", permission: "outreach.view" },
  { href: "/staff/residents", key: "residents", permission: "resident.export" },
  { href: "/staff/audit", key: "audit", permission: "audit.view" },
  { href: "/staff/admin/staff", key: "staffAccounts", permission: "admin.staff" },
  { href: "/staff/admin/tokens", key: "tokens", permission: "admin.tokens" },
  { href: "/staff/admin/organisations", key: "organisations", permission: "services.manage" },
];

function timeOf(lng: Language, at: Date): string {
  return formatShanghai(lng, at, "time");
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request);
  // Partners (issue 9) use /partner only: every staff page answers them 403.
  if (ctx.staff.role === "partner") throw new Response("Forbidden", { status: 403, headers: { "Cache-Control": "no-store" } });
  const { lng } = await translatorFor(request, "staff");
  const now = Date.now();
  return json(
    {
      staff: { username: ctx.staff.username, displayName: ctx.staff.displayName, role: ctx.staff.role },
      csrfToken: ctx.csrfToken,
      expiresAt: ctx.expiresAt.toISOString(),
      endsAt: timeOf(lng, ctx.expiresAt),
      remainingMs: ctx.expiresAt.getTime() - now,
      nav: NAV.filter((item) => can(ctx.staff.role, item.permission)).map(({ href, key }) => ({ href, key })),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export type StaffLayoutData = ReturnType<typeof useLoaderData<typeof loader>>;

function isCurrent(pathname: string, href: string): boolean {
  return href === "/staff" ? pathname === "/staff" || pathname === "/staff/" : pathname === href || pathname.startsWith(`${href}/`);
}

function StaffFrame({ data, children }: { data: StaffLayoutData; children: React.ReactNode }) {
  const { t } = useTranslation("staff");
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  return (
    <div className="staff">
      <div className="staff-bar">
        <p className="staff-who">{t("layout.signedInAs", { name: data.staff.displayName, role: t(`roles.${data.staff.role}`) })}</p>
        <form method="post" action="/staff/logout" className="staff-signout">
          <CsrfInput />
          <button type="submit" className="link-button">
            {t("layout.signOut")}
          </button>
        </form>
      </div>
      <nav className="staff-nav" aria-label={t("nav.label")}>
        <ul>
          {data.nav.map((item) => (
            <li key={item.href}>
              <a href={item.href} aria-current={isCurrent(location.pathname, item.href) ? "page" : undefined}>
                {t(`nav.${item.key}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="post" action="/staff/session" className="staff-session">
        <CsrfInput />
        <input type="hidden" name="next" value={here} />
        <p>{t("session.until", { time: data.endsAt })}</p>
        <button type="submit" className="button secondary">
          {t("session.stay")}
        </button>
      </form>
      <IdleWarning remainingMs={data.remainingMs} csrfToken={data.csrfToken} />
      {children}
    </div>
  );
}

export default function StaffLayout() {
  const data = useLoaderData<typeof loader>();
  return (
    <StaffFrame data={data}>
      <Outlet />
    </StaffFrame>
  );
}

/** 403 (role may not), 404 (no such record) or anything else, in plain words inside the staff frame. */
export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>(STAFF_LAYOUT_ROUTE_ID);
  const { t } = useTranslation("staff");
  const kind = isRouteErrorResponse(error) && (error.status === 403 || error.status === 404) ? String(error.status) : "other";
  const body = (
    <>
      <title>{`${t(`errors.${kind}.title`)} – ${t("layout.console")}`}</title>
      <h1>{t(`errors.${kind}.title`)}</h1>
      <p>{t(`errors.${kind}.body`)}</p>
      <p>
        <a href="/staff">{t("errors.back")}</a>
      </p>
    </>
  );
  return data ? <StaffFrame data={data}>{body}</StaffFrame> : body;
}
