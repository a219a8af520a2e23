// /staff/admin/tokens (admins only): the API tokens (name, scope, when made,
// live or stopped), a form to make one (partner or staff scope) and a button
// to stop each live one. A new token is shown once, on the answer to the form
// (not a redirect, so it is in no URL or history entry); only its hash is kept.
// Making and stopping tokens are audited (the token itself never is), in the
// same transaction as the change (app/models/api-token.server.ts).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems, type FieldErrors } from "~/components/form/error-summary";
import { RadioGroup } from "~/components/form/radio-group";
import { TextField } from "~/components/form/text-field";
import { CsrfInput } from "~/components/staff/csrf-input";
import { checkNewToken, TOKEN_NAME_MAX, TOKEN_SCOPES } from "~/domain/staff/account-form";
import { staffDateTime } from "~/domain/staff/format";
import { createApiToken, listApiTokens, revokeApiToken } from "~/models/api-token.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { requireStaff, requireStaffAction, staffActor } from "~/services/staff-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";

export const handle = { i18n: ["common", "staff", "admin", "repeat"] };

const NO_STORE = { "Cache-Control": "private, no-store" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, "admin.tokens");
  const { lng, t } = await translatorFor(request, ["admin", "common"]);
  const tokens = (await listApiTokens(db)).map((row) => ({
    id: row.id,
    name: row.name,
    scope: row.scope,
    createdAt: staffDateTime(lng, row.createdAt),
    revokedAt: row.revokedAt ? staffDateTime(lng, row.revokedAt) : null,
  }));
  const revoked = new URL(request.url).searchParams.get("revoked") === "1";
  return json({ tokens, revoked, pageTitle: pageTitle(t, t("admin:tokens.title"), hasFormErrors(context)) }, { headers: NO_STORE });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

type TokenAnswer = { errors: FieldErrors; values?: { name: string; scope: string }; created?: { name: string; scope: string; token: string | null } };

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// The new token is shown once and never stored: a repeat's answer says so instead.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("staff.admin.tokens", guardedAction, { keep: withoutNewToken })(args);
}

function withoutNewToken(body: unknown): unknown {
  const answer = body as TokenAnswer;
  return answer.created ? { ...answer, created: { ...answer.created, token: null } } : answer;
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form, "admin.tokens");
  const { t } = await translatorFor(request, ["admin", "common"]);

  if (form.get("intent") === "revoke") {
    const id = form.get("id");
    const stopped = typeof id === "string" && (await revokeApiToken(db, id, new Date(), staffActor(ctx)));
    return redirect(stopped ? "/staff/admin/tokens?revoked=1" : "/staff/admin/tokens", { status: 303, headers: NO_STORE });
  }

  const input = { name: form.get("name"), scope: form.get("scope") };
  const checked = checkNewToken(input);
  if (!checked.ok) {
    markFormErrors(context);
    const errors = Object.fromEntries(Object.entries(checked.errors).map(([field, code]) => [field, t(`admin:errors.token.${field}.${code}`, { max: TOKEN_NAME_MAX })]));
    const values = { name: typeof input.name === "string" ? input.name : "", scope: typeof input.scope === "string" ? input.scope : "" };
    return json<TokenAnswer>({ errors, values }, { status: 400, headers: NO_STORE });
  }
  const made = await createApiToken(db, checked.value, staffActor(ctx));
  return json<TokenAnswer>({ errors: {}, created: { name: checked.value.name, scope: checked.value.scope, token: made.token } }, { headers: NO_STORE });
}

export default function AdminTokens() {
  const { t } = useTranslation("admin");
  const { tokens, revoked } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const errors = answer?.errors ?? {};
  const created = answer?.created;
  return (
    <>
      <ErrorSummary problems={toProblems(errors)} />
      {revoked ? (
        <p className="notice success" role="status">
          {t("tokens.revoked")}
        </p>
      ) : null}
      {created ? (
        <div className="panel" role="status">
          <h2>{t("tokens.createdTitle", { name: created.name })}</h2>
          {created.token === null ? (
            <p>{t("repeat:tokenShownOnce")}</p>
          ) : (
            <>
              <p>{t("tokens.createdBody")}</p>
              <p className="token-once" id="new-token">
                {created.token}
              </p>
            </>
          )}
        </div>
      ) : null}
      <h1>{t("tokens.title")}</h1>
      <p>{t("tokens.intro")}</p>
      {tokens.length === 0 ? (
        <p>{t("tokens.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="staff-table">
            <caption className="visually-hidden">{t("tokens.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("tokens.name")}</th>
                <th scope="col">{t("tokens.scope")}</th>
                <th scope="col">{t("tokens.created")}</th>
                <th scope="col">{t("tokens.state")}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <th scope="row">{token.name}</th>
                  <td>{t(`tokens.scopes.${token.scope}`, { defaultValue: token.scope })}</td>
                  <td>{token.createdAt}</td>
                  <td>
                    {token.revokedAt ? (
                      t("tokens.stoppedAt", { time: token.revokedAt })
                    ) : (
                      <Form method="post">
                        <CsrfInput />
                        <RepeatGuard />
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="id" value={token.id} />
                        <button type="submit" className="button secondary">
                          {t("tokens.revoke")}
                          <span className="visually-hidden"> {token.name}</span>
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t("tokens.createTitle")}</h2>
      <Form method="post" noValidate>
        <CsrfInput />
        <RepeatGuard />
        <TextField name="name" label={t("tokens.name")} hint={t("tokens.nameHint")} autoComplete="off" defaultValue={answer?.values?.name} error={errors.name} />
        <RadioGroup
          name="scope"
          legend={t("tokens.scope")}
          error={errors.scope}
          defaultValue={answer?.values?.scope ?? "partner"}
          options={TOKEN_SCOPES.map((value) => ({ value, label: t(`tokens.scopes.${value}`), hint: t(`tokens.scopeHints.${value}`) }))}
        />
        <button type="submit" className="button">
          {t("tokens.create")}
        </button>
      </Form>
    </>
  );
}
