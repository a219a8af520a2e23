// /partner: the organisation's referrals by state (new, accepted, delivered,
// declined), newest first. The list shows only the service, the need, the
// district and the date sent; the resident's name and phone are on the
// referral's own page. Each look is on the audit log.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { REFERRAL_STATUSES } from "~/domain/referral/partner-answer";
import { formatShanghai } from "~/domain/time/shanghai-format";
import { auditPartnerView, listPartnerReferrals } from "~/models/referral.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { requirePartner } from "~/services/partner-session.server";

export const handle = { i18n: ["common", "staff", "partner", "case"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePartner(request);
  const { lng, t } = await translatorFor(request, ["partner", "case", "common"]);
  const referrals = await listPartnerReferrals(db, ctx.organisation.id);
  await auditPartnerView(db, ctx.who, { organisationId: ctx.organisation.id, count: referrals.length });
  const groups = REFERRAL_STATUSES.map((status) => ({
    status,
    items: referrals
      .filter((r) => r.status === status)
      .map((r) => ({
        id: r.id,
        number: referralNumber(r.id),
        service: r.serviceName,
        need: r.need ? t(`partner:needs.${r.need}`, { defaultValue: r.need }) : "",
        district: r.district ? t(`case:district.${r.district}`, { defaultValue: r.district }) : t("partner:referral.noDistrict"),
        sentAt: formatShanghai(lng, r.sentAt, "date"),
      })),
  }));
  return json(
    { organisation: ctx.organisation.name, groups, pageTitle: `${t("partner:list.title")} – ${t("partner:layout.title")}` },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

/** A short number to say on the phone: the end of the id, upper case. */
function referralNumber(id: string): string {
  return id.slice(-8).toUpperCase();
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

export default function PartnerReferrals() {
  const { t } = useTranslation("partner");
  const { organisation, groups } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("list.title")}</h1>
      <p>{t("list.intro", { organisation })}</p>
      {groups.map((group) => (
        <section key={group.status} aria-labelledby={`group-${group.status}`}>
          <h2 id={`group-${group.status}`}>{t(`list.groups.${group.status}`, { count: group.items.length })}</h2>
          {group.items.length === 0 ? (
            <p className="hint">{t("list.none")}</p>
          ) : (
            <ul className="partner-list">
              {group.items.map((item) => (
                <li key={item.id}>
                  <a href={`/partner/referrals/${item.id}`}>{t("list.open", { number: item.number, service: item.service })}</a>
                  <span className="hint"> {t("list.line", { need: item.need, district: item.district, date: item.sentAt })}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </>
  );
}
