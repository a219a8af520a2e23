// /staff/login: username and password (argon2id). The same message for an
// unknown username, a wrong password and a disabled account, so the page does
// not tell which usernames exist. 5 wrong tries in a row lock the account for
// 15 minutes; 20 from one address in 15 minutes stop that address (429, the
// message says when to try again); so do more than ABUSE_LIMITS.loginPerIp
// tries of any kind from one address (app/services/abuse-limits.server.ts). Success starts a server-side session and
// goes to `next` when it is a staff page, else the dashboard; a partner
// (issue 9) always goes to /partner.
// Audit: "login" and "login_failed" with the account id when the username is
// an account's; a typed username that is no account is NOT recorded (people
// type their password into the username box), and no address is recorded.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems, type FieldErrors } from "~/components/form/error-summary";
import { TextField } from "~/components/form/text-field";
import { PasswordField } from "~/components/staff/password-field";
import { safeStaffNext } from "~/domain/staff/safe-next";
import type { Language } from "~/i18n";
import { findStaffForLogin, ipBlockedUntil, recordLoginFailure, recordLoginSuccess } from "~/models/staff.server";
import { limitLogin, retryAfter } from "~/services/abuse-limits.server";
import { recordAudit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { hashPassword, verifyPassword } from "~/services/password.server";
import { optionalStaff, sessionTimedOut, startStaffSession } from "~/services/staff-session.server";
import { clientIp } from "~/services/track-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { formatShanghai } from "~/domain/time/shanghai-format";
import { readForm } from "~/services/form-body.server";

export const handle = { i18n: ["common", "staff"] };

const NO_STORE = { "Cache-Control": "private, no-store" };

// Checking a password against this when the username is unknown makes both
// answers take the same time.
let dummyHash: Promise<string> | null = null;
function timingDummy(): Promise<string> {
  dummyHash ??= hashPassword("lifeline-timing-dummy-password");
  return dummyHash;
}

function timeOf(lng: Language, at: Date): string {
  return formatShanghai(lng, at, "time");
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { t } = await translatorFor(request, ["staff", "common"]);
  const url = new URL(request.url);
  const next = safeStaffNext(url.searchParams.get("next"));
  const signedIn = await optionalStaff(request);
  // A partner (issue 9) has only the partner pages.
  if (signedIn) return redirect(signedIn.staff.role === "partner" ? "/partner" : next, { status: 303, headers: NO_STORE });
  const notice = url.searchParams.get("signedOut") === "1" ? "signedOut" : (await sessionTimedOut(request)) ? "timedOut" : null;
  return json({ next, notice, pageTitle: pageTitle(t, t("staff:login.title"), hasFormErrors(context)) }, { headers: NO_STORE });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

type LoginAnswer = { errors: FieldErrors; username: string };

function failed(context: unknown, errors: FieldErrors, username: string, status: number, headers: Record<string, string> = {}) {
  markFormErrors(context as never);
  return json<LoginAnswer>({ errors, username }, { status, headers: { ...NO_STORE, ...headers } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { lng, t } = await translatorFor(request, ["staff", "common"]);
  const form = await readForm(request);
  const rawUsername = form.get("username");
  const rawPassword = form.get("password");
  const username = typeof rawUsername === "string" ? rawUsername.trim().slice(0, 100) : "";
  const password = typeof rawPassword === "string" ? rawPassword.slice(0, 1000) : "";
  const next = safeStaffNext(form.get("next"));

  const errors: FieldErrors = {};
  if (username === "") errors.username = t("staff:login.errors.usernameMissing");
  if (password === "") errors.password = t("staff:login.errors.passwordMissing");
  if (Object.keys(errors).length > 0) return failed(context, errors, username, 400);

  const now = new Date();
  const ip = clientIp(context);
  const attempts = await limitLogin(ip, { now });
  if (!attempts.ok) {
    const until = new Date(now.getTime() + attempts.retryAfterSeconds * 1000);
    return failed(context, { username: t("staff:login.errors.tooManyTries", { time: timeOf(lng, until) }) }, username, 429, retryAfter(attempts));
  }
  const blocked = await ipBlockedUntil(db, ip, now);
  if (blocked) return failed(context, { username: t("staff:login.errors.tooManyFromHere", { time: timeOf(lng, blocked) }) }, username, 429);

  const user = await findStaffForLogin(db, username);
  if (user?.lockedUntil && user.lockedUntil > now) {
    await recordAudit(db, { actor: `staff:${user.id}`, actorName: user.username, action: "login_failed", subjectType: "staff_user", subjectId: user.id, detail: { why: "locked" } });
    return failed(context, { username: t("staff:login.errors.locked", { time: timeOf(lng, user.lockedUntil) }) }, username, 429);
  }

  const usable = user !== null && user.disabledAt === null;
  const right = usable ? await verifyPassword(user.passwordHash, password) : (await verifyPassword(await timingDummy(), password), false);
  if (!right || !user) {
    const lockedUntil = await recordLoginFailure(db, { staffUserId: user?.id ?? null, username, ip }, now);
    await recordAudit(db, {
      actor: user ? `staff:${user.id}` : "anonymous",
      actorName: user?.username ?? null,
      action: "login_failed",
      subjectType: "staff_user",
      subjectId: user?.id ?? null,
      detail: { why: user ? (user.disabledAt ? "disabled" : "wrong_password") : "unknown_user", locked: lockedUntil !== null },
    });
    if (lockedUntil) return failed(context, { username: t("staff:login.errors.locked", { time: timeOf(lng, lockedUntil) }) }, username, 429);
    return failed(context, { username: t("staff:login.errors.wrong") }, username, 400);
  }

  await recordLoginSuccess(db, user.id, now);
  const session = await startStaffSession(user.id, now);
  await recordAudit(db, { actor: `staff:${user.id}`, actorName: user.username, action: "login", subjectType: "staff_user", subjectId: user.id });
  return redirect(user.role === "partner" ? "/partner" : next, { status: 303, headers: { "Set-Cookie": session.setCookie, ...NO_STORE } });
}

export default function StaffLogin() {
  const { t } = useTranslation("staff");
  const { next, notice } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const errors = answer?.errors ?? {};
  return (
    <>
      <ErrorSummary problems={toProblems(errors)} />
      {notice && !answer ? (
        <p className="notice" role="status">
          {t(`login.${notice}`)}
        </p>
      ) : null}
      <h1>{t("login.title")}</h1>
      <p>{t("login.intro")}</p>
      <Form method="post" noValidate>
        <input type="hidden" name="next" value={next} />
        <TextField name="username" label={t("login.username")} autoComplete="username" defaultValue={answer?.username ?? ""} error={errors.username} />
        <PasswordField name="password" label={t("login.password")} autoComplete="current-password" error={errors.password} />
        <button type="submit" className="button">
          {t("login.submit")}
        </button>
      </Form>
    </>
  );
}
