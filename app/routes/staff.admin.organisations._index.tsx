// /staff/admin/organisations (services.manage, admins): the social
// organisations (district, contact, places used, services with the needs
// they meet, active or not) and a form to add one. Bad input answers 400 with
// a message per field; a new organisation goes to its own page, where its
// details and services are changed (staff.admin.organisations.$id.tsx).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems, type FieldErrors } from "~/components/form/error-summary";
import { RepeatGuard } from "~/components/form/repeat-guard";
import { OrganisationFields } from "~/components/plan/organisation-fields";
import { CsrfInput } from "~/components/staff/csrf-input";
import { DISTRICTS } from "~/domain/case/districts";
import { checkOrganisation } from "~/domain/plan";
import { catalogueErrors } from "~/domain/plan/catalogue-errors";
import { createOrganisation, listOrganisations } from "~/models/organisation.server";
import { db } from "~/services/db.server";
import { readForm } from "~/services/form-body.server";
import { translatorFor } from "~/services/i18n.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { requireStaff, requireStaffAction, staffActor } from "~/services/staff-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "staff", "plan", "case"] };

const NO_STORE = { "Cache-Control": "private, no-store" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, "services.manage");
  const { t } = await translatorFor(request, ["plan", "case", "common"]);
  const organisations = (await listOrganisations(db)).map((o) => ({
    id: o.id,
    name: o.name,
    district: t(`case:district.${o.district}`, { defaultValue: o.district }),
    contact: `${o.contactName}, ${o.contactPhone}`,
    room: t("plan:admin.room", { open: o.openReferrals, capacity: o.capacity }),
    active: o.active,
    services: o.services.map((s) => ({ id: s.id, name: s.name, active: s.active, needs: s.needs.map((n) => t(`plan:need.${n}.name`)).join(t("plan:page.listSeparator")) })),
  }));
  return json(
    {
      organisations,
      districts: DISTRICTS.map((d) => ({ value: d, label: t(`case:district.${d}`) })),
      pageTitle: pageTitle(t, t("plan:admin.title"), hasFormErrors(context)),
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

type Answer = { errors: FieldErrors; values: Record<string, string> };

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("staff.admin.organisations", guardedAction)(args);
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form, "services.manage");
  const { t } = await translatorFor(request, ["plan", "common"]);
  const input = Object.fromEntries(["name", "district", "contactName", "contactPhone", "capacity"].map((k) => [k, form.get(k)]));
  const checked = checkOrganisation(input);
  if (!checked.ok) {
    markFormErrors(context);
    const values = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, typeof v === "string" ? v : ""]));
    return json<Answer>({ errors: catalogueErrors(t, checked.errors), values }, { status: 400, headers: NO_STORE });
  }
  const made = await createOrganisation(db, checked.value, staffActor(ctx));
  return redirect(`/staff/admin/organisations/${made.id}?done=added`, { status: 303, headers: NO_STORE });
}

export default function Organisations() {
  const { t } = useTranslation("plan");
  const { organisations, districts } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const errors = answer?.errors ?? {};
  return (
    <>
      <ErrorSummary problems={toProblems(errors)} />
      <h1>{t("admin.title")}</h1>
      <p>{t("admin.intro")}</p>
      {organisations.length === 0 ? (
        <p>{t("admin.none")}</p>
      ) : (
        <ul className="plan-orgs">
          {organisations.map((o) => (
            <li key={o.id} className="plan-org">
              <h2>
                <a href={`/staff/admin/organisations/${o.id}`} aria-label={t("admin.open", { name: o.name })}>
                  {o.name}
                </a>{" "}
                {o.active ? null : <span className="tag not_eligible">{t("admin.inactive")}</span>}
              </h2>
              <dl className="summary-list">
                <div className="summary-row">
                  <dt>{t("admin.district")}</dt>
                  <dd>{o.district}</dd>
                </div>
                <div className="summary-row">
                  <dt>{t("admin.contact")}</dt>
                  <dd>{o.contact}</dd>
                </div>
                <div className="summary-row">
                  <dt>{t("admin.capacity")}</dt>
                  <dd>{o.room}</dd>
                </div>
                <div className="summary-row">
                  <dt>{t("admin.services")}</dt>
                  <dd>
                    {o.services.length === 0 ? (
                      t("admin.noServices")
                    ) : (
                      <ul>
                        {o.services.map((s) => (
                          <li key={s.id}>
                            {s.name}: {s.needs}
                            {s.active ? null : ` (${t("admin.serviceInactive")})`}
                          </li>
                        ))}
                      </ul>
                    )}
                  </dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
      <h2 id="add-heading">{t("admin.addHeading")}</h2>
      <Form method="post" noValidate aria-labelledby="add-heading">
        <CsrfInput />
        <RepeatGuard />
        <OrganisationFields errors={errors} values={answer?.values} districts={districts} />
        <button type="submit" className="button">
          {t("admin.add")}
        </button>
      </Form>
    </>
  );
}
