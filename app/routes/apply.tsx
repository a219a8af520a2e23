// Frame of every /apply page. In staff-assisted mode (a caseworker filling in
// a resident's application with them on the phone; see
// models/application-draft.server.ts) it puts a clear banner above the page,
// so nobody mistakes whose application this is, and its data carries the
// staff session's CSRF token for every form of the journey
// (components/apply/assisted-csrf.tsx; checked by services/apply-csrf.server.ts).
// Otherwise it adds nothing.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { loadApplyState } from "~/models/application-draft.server";
import { db } from "~/services/db.server";

export const handle = { i18n: ["common", "apply", "queue"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const { assisted } = await loadApplyState(db, request);
  return json({ assisted: assisted ? { maskedPhone: assisted.maskedPhone } : null, csrf: assisted ? assisted.csrfToken : null });
}

// The banner and the token depend on the session, so they are read again after every action.
export const shouldRevalidate = () => true;

export default function ApplyFrame() {
  const { t } = useTranslation("queue");
  const { assisted } = useLoaderData<typeof loader>();
  return (
    <>
      {assisted ? (
        <div className="assisted-banner" role="region" aria-label={t("assisted.banner", { phone: assisted.maskedPhone })}>
          <p>
            <strong>{t("assisted.banner", { phone: assisted.maskedPhone })}</strong>
          </p>
          <p>{t("assisted.bannerHint")}</p>
          <p>
            <a href="/staff/callbacks">{t("detail.back")}</a>
          </p>
        </div>
      ) : null}
      <Outlet />
    </>
  );
}
