// /apply/invite/<token>: the link in an outreach invitation text. A good
// token opens the application draft prefilled from the departments' records
// (made on the first open, the same one after; see
// app/models/outreach-invitation.server.ts), sets this browser's draft
// cookie and says in plain words what happens next: nothing is sent until
// the resident checks every answer and confirms. A button leads into /apply.
// The page also offers "Don't check my records again" (POST, intent optOut),
// which records a ScreeningOptOut, closes the lead and says so (?done=optOut).
// A bad, old or spent link gets one plain page (404 unknown, 410 out of date or
// used) that never says whether anyone is behind it.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { applyDraftCookie } from "~/models/application-draft.server";
import { invitationOptedOut, openInvitation, optOutByInvitation, type InvitationState } from "~/models/outreach-invitation.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";
import { AssistedCsrfField } from "~/components/apply/assisted-csrf";
import { assistedCsrf } from "~/services/apply-csrf.server";

export const handle = { i18n: ["common", "invite"] };

const NO_STORE = { "Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer" };

function statusOf(state: Exclude<InvitationState, "ok">): number {
  return state === "unknown" ? 404 : 410;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lng, t } = await translatorFor(request, ["invite", "common"]);
  const token = params.token ?? "";
  // After "don't check my records again" (post/redirect/get): the confirmation, for this token's holder only.
  if (new URL(request.url).searchParams.get("done") === "optOut" && (await invitationOptedOut(db, token))) {
    return json({ kind: "optedOut" as const, title: pageTitle(t, t("invite:optedOut.title")) }, { headers: NO_STORE });
  }
  const opened = await openInvitation(db, token, lng);
  if (!opened.ok) {
    return json({ kind: "closed" as const, title: pageTitle(t, t("invite:closed.title")) }, { status: statusOf(opened.state), headers: NO_STORE });
  }
  return json({ kind: "open" as const, title: pageTitle(t, t("invite:open.title")) }, { headers: { ...NO_STORE, "Set-Cookie": applyDraftCookie(opened.draftId) } });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts;
// in staff-assisted mode the staff CSRF token is checked first: app/services/apply-csrf.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return assistedCsrf(repeatGuarded("apply.invite", guardedAction))(args);
}

async function guardedAction({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { t } = await translatorFor(request, ["invite", "common"]);
  if (form.get("intent") !== "optOut") {
    return json({ kind: "closed" as const, title: pageTitle(t, t("invite:closed.title")) }, { status: 400, headers: NO_STORE });
  }
  const token = params.token ?? "";
  const done = await optOutByInvitation(db, token);
  if (!done.ok) return json({ kind: "closed" as const, title: pageTitle(t, t("invite:closed.title")) }, { status: statusOf(done.state), headers: NO_STORE });
  return redirect(`/apply/invite/${encodeURIComponent(token)}?done=optOut`, { status: 303, headers: NO_STORE });
}

export default function Invitation() {
  const { t } = useTranslation("invite");
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const kind = acted?.kind ?? loaded.kind;
  if (kind === "optedOut") {
    return (
      <>
        <h1>{t("optedOut.title")}</h1>
        <p>{t("optedOut.body")}</p>
        <p>{t("optedOut.changeMind")}</p>
        <p>
          <a href="/" className="button secondary">
            {t("optedOut.home")}
          </a>
        </p>
      </>
    );
  }
  if (kind === "closed") {
    return (
      <>
        <h1>{t("closed.title")}</h1>
        <p>{t("closed.body")}</p>
        <p>{t("closed.next")}</p>
        <p>
          <a href="/check" className="button">
            {t("closed.check")}
          </a>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{t("open.title")}</h1>
      <p>{t("open.why")}</p>
      <p>
        <strong>{t("open.nothingSent")}</strong>
      </p>
      <ul>
        <li>{t("open.step1")}</li>
        <li>{t("open.step2")}</li>
        <li>{t("open.step3")}</li>
      </ul>
      <p>
        <a href="/apply" className="button">
          {t("open.start")}
        </a>
      </p>
      <section aria-labelledby="optout-heading" className="invite-optout">
        <h2 id="optout-heading">{t("optOut.heading")}</h2>
        <p>{t("optOut.body")}</p>
        <form method="post">
          <AssistedCsrfField />
          <RepeatGuard />
          <input type="hidden" name="intent" value="optOut" />
          <button type="submit" className="button secondary">
            {t("optOut.button")}
          </button>
        </form>
      </section>
    </>
  );
}
