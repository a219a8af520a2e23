// /staff/residents/erase (supervisors, resident.erase; CSRF): erasing
// everything held about a resident on their request. Reached from the
// resident's page (/staff/residents) by a POST carrying the search as hidden
// fields (intent "start"): this page then asks for a reason and a typed
// confirmation word. The erasure itself (intent "erase") deletes every row and
// file about the person in one transaction with ONE audit entry (subjectType
// "resident", an HMAC for the id: app/models/resident-data.server.ts), then
// goes back to /staff/residents with a notice. A bad form answers 400 with an
// error summary; a person with a case still open or being paid, 409 with the
// plain reason. A GET has nobody to erase: it links back to the search.
import type {
  ActionFunctionArgs,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import {
  ErrorSummary,
  toProblems,
  type FieldErrors,
} from "~/components/form/error-summary";
import { CsrfInput } from "~/components/staff/csrf-input";
import { todayInShanghai } from "~/domain/validation/eligibility-api";
import {
  eraseResident,
  readReason,
  readResidentQuery,
  RESIDENT_REASON_MAX,
  resolveResident,
} from "~/models/resident-data.server";
import { db } from "~/services/db.server";
import { readForm } from "~/services/form-body.server";
import { translatorFor } from "~/services/i18n.server";
import {
  requireStaff,
  requireStaffAction,
  staffActor,
} from "~/services/staff-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";

export const handle = { i18n: ["common", "staff", "residents"] };

const NO_STORE = { "Cache-Control": "private, no-store" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, "resident.erase");
  const { t } = await translatorFor(request, ["residents", "staff", "common"]);
  return json(
    {
      pageTitle: `${hasFormErrors(context) ? t("common:errorPrefix") : ""}${t(
        "residents:erase.pageTitle"
      )} – ${t("staff:layout.console")}`,
    },
    { headers: NO_STORE }
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.pageTitle ?? "" },
];

interface EraseAnswer {
  query: Record<string, string>;
  errors: FieldErrors;
  /** a refusal that is not one field's fault (open cases, nothing held) */
  message?: string;
  values?: { reason: string };
  /** the form cannot be used (the hidden fields were changed): start again */
  startAgain?: boolean;
}

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("staff.residents.erase", guardedAction)(args);
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form, "resident.erase");
  const { t } = await translatorFor(request, ["residents", "case", "common"]);
  const now = new Date();
  const read = readResidentQuery(form, todayInShanghai(now));
  if (!read.ok) {
    markFormErrors(context);
    return json<EraseAnswer>(
      { query: {}, errors: {}, startAgain: true },
      { status: 400, headers: NO_STORE }
    );
  }
  const query = {
    idNumber: read.query.idNumber ?? "",
    phone: read.query.phone ?? "",
    reference: read.query.reference ?? "",
  };
  if (form.get("intent") !== "erase")
    return json<EraseAnswer>({ query, errors: {} }, { headers: NO_STORE });

  const word = t("residents:erase.word");
  const errors: FieldErrors = {};
  const reason = readReason(form.get("reason"));
  if (!reason.ok)
    errors.reason = t(`residents:erase.errors.${reason.error}`, {
      max: RESIDENT_REASON_MAX,
    });
  const typed = String(form.get("confirm") ?? "").trim();
  if (typed.toUpperCase() !== word.toUpperCase())
    errors.confirm = t("residents:erase.errors.confirm", { word });
  const values = {
    reason: String(form.get("reason") ?? "").slice(
      0,
      RESIDENT_REASON_MAX + 100
    ),
  };
  if (!reason.ok || errors.confirm) {
    markFormErrors(context);
    return json<EraseAnswer>(
      { query, errors, values },
      { status: 400, headers: NO_STORE }
    );
  }
  const resolved = await resolveResident(db, read.query);
  if (!resolved.ok) {
    markFormErrors(context);
    return json<EraseAnswer>(
      { query: {}, errors: {}, startAgain: true },
      { status: 400, headers: NO_STORE }
    );
  }
  const result = await eraseResident(
    db,
    resolved.key,
    { ...staffActor(ctx), reason: reason.reason },
    now
  );
  if (result.ok)
    return redirect("/staff/residents?erased=1", {
      status: 303,
      headers: NO_STORE,
    });
  markFormErrors(context);
  const message =
    result.error === "openCases"
      ? t("residents:erase.errors.openCases", {
          cases: result.cases
            .map((c) =>
              t("residents:erase.blockedCase", {
                reference: c.reference,
                status: t(`case:status.${c.status}.title`, {
                  defaultValue: c.status,
                }),
              })
            )
            .join(", "),
        })
      : t("residents:erase.errors.nothingHeld");
  return json<EraseAnswer>(
    { query, errors: {}, message, values },
    { status: 409, headers: NO_STORE }
  );
}

export default function EraseResident() {
  const { t } = useTranslation("residents");
  useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as EraseAnswer | undefined;
  const errors = answer?.errors ?? {};
  const word = t("erase.word");
  if (!answer || answer.startAgain) {
    return (
      <>
        <h1>{t("erase.pageTitle")}</h1>
        <p>{t("erase.startAgain")}</p>
        <p>
          <a href="/staff/residents">{t("result.again")}</a>
        </p>
      </>
    );
  }
  return (
    <>
      <ErrorSummary problems={toProblems(errors)} />
      {answer.message ? (
        <div className="notice case-problem" role="alert">
          <p>{answer.message}</p>
        </div>
      ) : null}
      <h1>{t("erase.pageTitle")}</h1>
      <p>{t("erase.body")}</p>
      <form method="post" noValidate>
        <CsrfInput />
        <RepeatGuard />
        {Object.entries(answer.query).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="intent" value="erase" />
        <div className={errors.reason ? "field has-error" : "field"}>
          <label htmlFor="reason">{t("erase.reason")}</label>
          <p id="reason-hint" className="hint">
            {t("erase.reasonHint")}
          </p>
          {errors.reason ? (
            <p id="reason-error" className="error-message">
              <span className="visually-hidden">{t("common:errorPrefix")}</span>
              {errors.reason}
            </p>
          ) : null}
          <textarea
            id="reason"
            name="reason"
            className="resident-reason"
            rows={3}
            defaultValue={answer.values?.reason}
            aria-invalid={errors.reason ? true : undefined}
            aria-describedby={[
              "reason-hint",
              errors.reason ? "reason-error" : null,
            ]
              .filter(Boolean)
              .join(" ")}
          />
        </div>
        <div className={errors.confirm ? "field has-error" : "field"}>
          <label htmlFor="confirm">{t("erase.confirm", { word })}</label>
          <p id="confirm-hint" className="hint">
            {t("erase.confirmHint")}
          </p>
          {errors.confirm ? (
            <p id="confirm-error" className="error-message">
              <span className="visually-hidden">{t("common:errorPrefix")}</span>
              {errors.confirm}
            </p>
          ) : null}
          <input
            id="confirm"
            name="confirm"
            type="text"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={errors.confirm ? true : undefined}
            aria-describedby={[
              "confirm-hint",
              errors.confirm ? "confirm-error" : null,
            ]
              .filter(Boolean)
              .join(" ")}
          />
        </div>
        <div className="button-group">
          <button type="submit" className="button warning">
            {t("erase.submit")}
          </button>
          <a href="/staff/residents" className="resident-cancel">
            {t("erase.cancel")}
          </a>
        </div>
      </form>
    </>
  );
}
