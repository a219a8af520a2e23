// /staff/admin/staff/:id (admins only): one account. Change its role, disable
// or enable it, unlock it after too many wrong passwords, set a new password.
// A role change, disabling or a new password ends the account's sessions, so
// the change holds at once. Admins cannot change their own role or disable
// themselves (the console must keep an admin). Every change is audited, in the
// same transaction as the change (app/models/staff.server.ts); sessions are
// ended after it commits.
// Role partner (issue 9) needs an organisation, chosen in the role form; a
// change of organisation also ends the account's sessions.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems, type FieldErrors } from "~/components/form/error-summary";
import { RadioGroup } from "~/components/form/radio-group";
import { CsrfInput } from "~/components/staff/csrf-input";
import { PasswordField } from "~/components/staff/password-field";
import { checkPassword, checkRole, PASSWORD_MIN } from "~/domain/staff/account-form";
import { staffDateTime } from "~/domain/staff/format";
import { STAFF_ROLES } from "~/domain/staff/permissions";
import { findStaff, resetStaffPassword, setStaffDisabled, setStaffRole, unlockStaff } from "~/models/staff.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { endSessionsOf, requireStaff, requireStaffAction, staffActor } from "~/services/staff-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";
import { OrganisationSelect } from "~/components/partner/organisation-select";
import { checkOrganisationFor } from "~/domain/staff/account-form";
import { organisationChoices, organisationExists, staffOrganisationId } from "~/models/referral.server";

export const handle = { i18n: ["common", "staff", "admin"] };

const NO_STORE = { "Cache-Control": "private, no-store" };
const DONE = ["role", "disable", "enable", "unlock", "password"] as const;

function notFound(): Response {
  return new Response("Not found", { status: 404, headers: NO_STORE });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "admin.staff");
  const { lng, t } = await translatorFor(request, ["admin", "case", "common"]);
  const account = await findStaff(db, params.id ?? "");
  if (!account) throw notFound();
  const now = new Date();
  const organisationId = await staffOrganisationId(db, account.id);
  const organisations = (await organisationChoices(db, organisationId)).map((o) => ({ ...o, district: t(`case:district.${o.district}`, { defaultValue: o.district }) }));
  const done = new URL(request.url).searchParams.get("done");
  return json(
    {
      account: {
        id: account.id,
        username: account.username,
        displayName: account.displayName,
        role: account.role,
        organisationId,
        organisation: organisations.find((o) => o.id === organisationId)?.name ?? null,
        disabled: account.disabledAt !== null,
        lockedUntil: account.lockedUntil && account.lockedUntil > now ? staffDateTime(lng, account.lockedUntil) : null,
        lastLoginAt: account.lastLoginAt ? staffDateTime(lng, account.lastLoginAt) : null,
      },
      organisations,
      isSelf: account.id === ctx.staff.id,
      done: (DONE as readonly string[]).includes(done ?? "") ? done : null,
      pageTitle: pageTitle(t, t("admin:account.title", { username: account.username }), hasFormErrors(context)),
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("staff.admin.staff.item", guardedAction)(args);
}

async function guardedAction({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form, "admin.staff");
  const { t } = await translatorFor(request, ["admin", "common"]);
  const account = await findStaff(db, params.id ?? "");
  if (!account) throw notFound();
  const intent = form.get("intent");
  const isSelf = account.id === ctx.staff.id;
  const who = staffActor(ctx);
  const fail = (errors: FieldErrors) => {
    markFormErrors(context);
    return json({ errors }, { status: 400, headers: NO_STORE });
  };
  const done = (what: (typeof DONE)[number]) => redirect(`/staff/admin/staff/${account.id}?done=${what}`, { status: 303, headers: NO_STORE });

  switch (intent) {
    case "role": {
      const role = checkRole(form.get("role"));
      if (!role) return fail({ role: t("admin:errors.role.missing") });
      if (isSelf) return fail({ role: t("admin:errors.role.self") });
      const organisation = checkOrganisationFor(role, form.get("organisationId"));
      if (organisation.error || (organisation.organisationId && !(await organisationExists(db, organisation.organisationId)))) {
        return fail({ organisationId: t("admin:errors.organisationId.missing") });
      }
      const fromOrganisation = await staffOrganisationId(db, account.id);
      if (role !== account.role || organisation.organisationId !== fromOrganisation) {
        const detail: Record<string, unknown> = { from: account.role, to: role };
        if (fromOrganisation || organisation.organisationId) Object.assign(detail, { fromOrganisation, toOrganisation: organisation.organisationId });
        await setStaffRole(db, account.id, role, who, { organisationId: organisation.organisationId, detail });
        await endSessionsOf(account.id);
      }
      return done("role");
    }
    case "disable":
    case "enable": {
      if (isSelf) return fail({ disable: t("admin:errors.disable.self") });
      await setStaffDisabled(db, account.id, intent === "disable", new Date(), who);
      if (intent === "disable") await endSessionsOf(account.id);
      return done(intent);
    }
    case "unlock": {
      await unlockStaff(db, account.id, who);
      return done("unlock");
    }
    case "password": {
      const password = form.get("password");
      const problem = checkPassword(password);
      if (problem) return fail({ password: t(`admin:errors.password.${problem}`, { min: PASSWORD_MIN }) });
      await resetStaffPassword(db, account.id, password as string, who);
      if (!isSelf) await endSessionsOf(account.id);
      return done("password");
    }
    default:
      return fail({ intent: t("admin:errors.intent") });
  }
}

export default function AdminStaffAccount() {
  const { t } = useTranslation("admin");
  const { account, organisations, isSelf, done } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const errors: FieldErrors = answer?.errors ?? {};
  return (
    <>
      <a className="back-link" href="/staff/admin/staff">
        {t("account.back")}
      </a>
      <ErrorSummary problems={toProblems(errors)} />
      {done ? (
        <p className="notice success" role="status">
          {t(`account.done.${done}`)}
        </p>
      ) : null}
      <h1>{t("account.title", { username: account.username })}</h1>
      <dl className="summary-list">
        <div className="summary-row">
          <dt>{t("staff.displayName")}</dt>
          <dd>{account.displayName}</dd>
        </div>
        <div className="summary-row">
          <dt>{t("staff.role")}</dt>
          <dd>
            {t(`roles.${account.role}`, { defaultValue: account.role })}
            {account.organisation ? ` (${account.organisation})` : null}
          </dd>
        </div>
        <div className="summary-row">
          <dt>{t("staff.state")}</dt>
          <dd>{account.disabled ? t("staff.states.disabled") : account.lockedUntil ? t("account.lockedUntil", { time: account.lockedUntil }) : t("staff.states.active")}</dd>
        </div>
        <div className="summary-row">
          <dt>{t("staff.lastLogin")}</dt>
          <dd>{account.lastLoginAt ?? t("staff.never")}</dd>
        </div>
      </dl>

      {isSelf ? <p className="notice">{t("account.self")}</p> : null}

      {isSelf ? null : (
        <>
          <h2>{t("account.roleTitle")}</h2>
          <Form method="post" noValidate>
            <CsrfInput />
            <RepeatGuard />
            <input type="hidden" name="intent" value="role" />
            <RadioGroup
              name="role"
              legend={t("account.roleLegend")}
              error={errors.role}
              defaultValue={account.role}
              options={STAFF_ROLES.map((value) => ({ value, label: t(`roles.${value}`), hint: t(`roleHints.${value}`) }))}
            />
            <OrganisationSelect
              name="organisationId"
              label={t("staff.organisation")}
              hint={t("staff.organisationHint")}
              noneLabel={t("staff.organisationNone")}
              organisations={organisations}
              defaultValue={account.organisationId}
              error={errors.organisationId}
            />
            <button type="submit" className="button">
              {t("account.saveRole")}
            </button>
          </Form>

          <h2 id="disable">{account.disabled ? t("account.enableTitle") : t("account.disableTitle")}</h2>
          {errors.disable ? <p className="error-message">{errors.disable}</p> : null}
          <p>{account.disabled ? t("account.enableBody") : t("account.disableBody")}</p>
          <Form method="post">
            <CsrfInput />
            <RepeatGuard />
            <input type="hidden" name="intent" value={account.disabled ? "enable" : "disable"} />
            <button type="submit" className="button secondary">
              {account.disabled ? t("account.enable") : t("account.disable")}
            </button>
          </Form>
        </>
      )}

      {account.lockedUntil ? (
        <>
          <h2>{t("account.unlockTitle")}</h2>
          <Form method="post">
            <CsrfInput />
            <RepeatGuard />
            <input type="hidden" name="intent" value="unlock" />
            <button type="submit" className="button secondary">
              {t("account.unlock")}
            </button>
          </Form>
        </>
      ) : null}

      <h2>{t("account.passwordTitle")}</h2>
      <Form method="post" noValidate>
        <CsrfInput />
        <RepeatGuard />
        <input type="hidden" name="intent" value="password" />
        <PasswordField name="password" label={t("account.newPassword")} hint={t("staff.passwordHint", { min: PASSWORD_MIN })} autoComplete="new-password" error={errors.password} />
        <button type="submit" className="button">
          {t("account.setPassword")}
        </button>
      </Form>
    </>
  );
}
