// /staff/admin/staff (admins only): every staff account with its role and
// state, a link to change one, and a form to create an account with a role and
// a first password (12 characters or more). Creating is audited in the same
// transaction (app/models/staff.server.ts).
// Role partner (issue 9) needs an organisation: the account then sees only
// that organisation's referrals, on /partner.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems, type FieldErrors } from "~/components/form/error-summary";
import { RadioGroup } from "~/components/form/radio-group";
import { TextField } from "~/components/form/text-field";
import { CsrfInput } from "~/components/staff/csrf-input";
import { PasswordField } from "~/components/staff/password-field";
import { checkNewAccount, PASSWORD_MIN } from "~/domain/staff/account-form";
import { staffDateTime } from "~/domain/staff/format";
import { STAFF_ROLES } from "~/domain/staff/permissions";
import { createStaff, listStaff, usernameTaken } from "~/models/staff.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { requireStaff, requireStaffAction, staffActor } from "~/services/staff-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";
import { OrganisationSelect } from "~/components/partner/organisation-select";
import { organisationChoices, organisationExists, partnerOrganisationNames } from "~/models/referral.server";

export const handle = { i18n: ["common", "staff", "admin"] };

const NO_STORE = { "Cache-Control": "private, no-store" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, "admin.staff");
  const { lng, t } = await translatorFor(request, ["admin", "case", "common"]);
  const now = new Date();
  const organisationOf = await partnerOrganisationNames(db);
  const organisations = (await organisationChoices(db)).map((o) => ({ ...o, district: t(`case:district.${o.district}`, { defaultValue: o.district }) }));
  const accounts = (await listStaff(db)).map((a) => ({
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    role: a.role,
    organisation: organisationOf[a.id] ?? null,
    state: a.disabledAt ? "disabled" : a.lockedUntil && a.lockedUntil > now ? "locked" : "active",
    lastLoginAt: a.lastLoginAt ? staffDateTime(lng, a.lastLoginAt) : null,
  }));
  const created = new URL(request.url).searchParams.get("created");
  return json(
    { accounts, organisations, created: accounts.some((a) => a.username === created) ? created : null, pageTitle: pageTitle(t, t("admin:staff.title"), hasFormErrors(context)) },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("staff.admin.staff", guardedAction)(args);
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form, "admin.staff");
  const { t } = await translatorFor(request, ["admin", "common"]);
  const input = { username: form.get("username"), displayName: form.get("displayName"), role: form.get("role"), password: form.get("password"), organisationId: form.get("organisationId") };
  const checked = checkNewAccount(input);
  const values = {
    username: typeof input.username === "string" ? input.username : "",
    displayName: typeof input.displayName === "string" ? input.displayName : "",
    role: typeof input.role === "string" ? input.role : "",
    organisationId: typeof input.organisationId === "string" ? input.organisationId : "",
  };
  let errors: FieldErrors = {};
  if (!checked.ok) {
    errors = Object.fromEntries(Object.entries(checked.errors).map(([field, code]) => [field, t(`admin:errors.${field}.${code}`, { min: PASSWORD_MIN })]));
  } else if (await usernameTaken(db, checked.value.username)) {
    errors = { username: t("admin:errors.username.taken") };
  } else if (checked.value.organisationId && !(await organisationExists(db, checked.value.organisationId))) {
    errors = { organisationId: t("admin:errors.organisationId.missing") };
  }
  if (!checked.ok || Object.keys(errors).length > 0) {
    markFormErrors(context);
    return json({ errors, values }, { status: 400, headers: NO_STORE });
  }
  await createStaff(db, checked.value, staffActor(ctx));
  return redirect(`/staff/admin/staff?created=${encodeURIComponent(checked.value.username)}`, { status: 303, headers: NO_STORE });
}

export default function AdminStaff() {
  const { t } = useTranslation("admin");
  const { accounts, organisations, created } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const errors = answer?.errors ?? {};
  const values = answer?.values;
  return (
    <>
      <ErrorSummary problems={toProblems(errors)} />
      {created ? (
        <p className="notice success" role="status">
          {t("staff.created", { username: created })}
        </p>
      ) : null}
      <h1>{t("staff.title")}</h1>
      <div className="table-wrap">
        <table className="staff-table">
          <caption className="visually-hidden">{t("staff.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("staff.username")}</th>
              <th scope="col">{t("staff.displayName")}</th>
              <th scope="col">{t("staff.role")}</th>
              <th scope="col">{t("staff.state")}</th>
              <th scope="col">{t("staff.lastLogin")}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  <a href={`/staff/admin/staff/${a.id}`}>
                    {a.username}
                    <span className="visually-hidden"> {t("staff.change")}</span>
                  </a>
                </th>
                <td>{a.displayName}</td>
                <td>
                  {t(`roles.${a.role}`, { defaultValue: a.role })}
                  {a.organisation ? ` (${a.organisation})` : null}
                </td>
                <td>{t(`staff.states.${a.state}`)}</td>
                <td>{a.lastLoginAt ?? t("staff.never")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t("staff.createTitle")}</h2>
      <Form method="post" noValidate>
        <CsrfInput />
        <RepeatGuard />
        <TextField name="username" label={t("staff.username")} hint={t("staff.usernameHint")} autoComplete="off" defaultValue={values?.username} error={errors.username} />
        <TextField name="displayName" label={t("staff.displayName")} autoComplete="off" defaultValue={values?.displayName} error={errors.displayName} />
        <RadioGroup
          name="role"
          legend={t("staff.role")}
          error={errors.role}
          defaultValue={values?.role ?? "caseworker"}
          options={STAFF_ROLES.map((value) => ({ value, label: t(`roles.${value}`), hint: t(`roleHints.${value}`) }))}
        />
        <OrganisationSelect
          name="organisationId"
          label={t("staff.organisation")}
          hint={t("staff.organisationHint")}
          noneLabel={t("staff.organisationNone")}
          organisations={organisations}
          defaultValue={values?.organisationId}
          error={errors.organisationId}
        />
        <PasswordField name="password" label={t("staff.password")} hint={t("staff.passwordHint", { min: PASSWORD_MIN })} autoComplete="new-password" error={errors.password} />
        <button type="submit" className="button">
          {t("staff.create")}
        </button>
      </Form>
    </>
  );
}
