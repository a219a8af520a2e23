// /staff/residents: everything Lifeline holds about one resident, for
// supervisors (resident.export). The search is a POST (CSRF, a reason that
// goes in the audit log): an ID number or phone never travels in a URL, so it
// never reaches an access log or the browser history. The answer lists what is
// held, ID number and phones masked, no free text, and offers "Download
// everything" (POST /staff/residents/export) and, for those allowed, "Erase"
// (POST /staff/residents/erase). Each look is audited (view_resident,
// subjectType "resident", subjectId an HMAC of the ID number).
import type {
  ActionFunctionArgs,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import {
  ErrorSummary,
  toProblems,
  type FieldErrors,
} from "~/components/form/error-summary";
import { TextField } from "~/components/form/text-field";
import { CsrfInput } from "~/components/staff/csrf-input";
import { isEvidenceType } from "~/domain/case";
import { can } from "~/domain/staff/permissions";
import { formatShanghai } from "~/domain/time/shanghai-format";
import { todayInShanghai } from "~/domain/validation/eligibility-api";
import {
  auditResidentAccess,
  collectResidentData,
  countHeld,
  holdsNothing,
  readReason,
  readResidentQuery,
  RESIDENT_REASON_MAX,
  resolveResident,
  residentOverview,
  type ResidentQuery,
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

export const handle = { i18n: ["common", "staff", "residents"] };

const NO_STORE = { "Cache-Control": "private, no-store" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, "resident.export");
  const { t } = await translatorFor(request, ["residents", "staff", "common"]);
  return json(
    {
      pageTitle: `${hasFormErrors(context) ? t("common:errorPrefix") : ""}${t(
        "residents:title"
      )} – ${t("staff:layout.console")}`,
      erased: new URL(request.url).searchParams.get("erased") === "1",
    },
    { headers: NO_STORE }
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.pageTitle ?? "" },
];

/** The search as hidden fields for the download and erase forms (normal forms only). */
function hiddenQuery(query: ResidentQuery): Record<string, string> {
  return {
    idNumber: query.idNumber ?? "",
    phone: query.phone ?? "",
    reference: query.reference ?? "",
  };
}

type Translate = Awaited<ReturnType<typeof translatorFor>>["t"];

/** The overview in words (dates in Shanghai time, statuses and document types named). */
function present(
  overview: ReturnType<typeof residentOverview>,
  lng: string,
  t: Translate
) {
  const date = (at: Date) => formatShanghai(lng, at, "date");
  const status = (s: string) =>
    t(`case:status.${s}.title`, { defaultValue: s });
  const newestText =
    overview.texts.length > 0
      ? overview.texts[overview.texts.length - 1].createdAt
      : null;
  return {
    idNumber: overview.idNumber ?? t("residents:result.unknown"),
    phones:
      overview.phones.length > 0
        ? overview.phones.join(", ")
        : t("residents:result.unknown"),
    cases: overview.applications.map((a) => ({
      reference: a.reference,
      line: t("residents:result.caseLine", {
        reference: a.reference,
        status: status(a.status),
        date: date(a.submittedAt),
        channel: t(`case:channel.${a.channel}`, { defaultValue: a.channel }),
      }),
      counts: t("residents:result.caseCounts", {
        events: a.events,
        files: a.evidence.length,
      }),
      documents: a.evidence.map((e) => ({
        id: e.id,
        text: t("residents:result.document", {
          type: t(
            `case:evidence.${isEvidenceType(e.type) ? e.type : "other"}.name`
          ),
          size: Math.max(1, Math.round(e.size / 1024)),
          date: date(e.createdAt),
        }),
      })),
    })),
    proxyFor: overview.proxyFor.map((p) =>
      t("residents:result.proxyLine", {
        reference: p.reference,
        status: status(p.status),
      })
    ),
    drafts: overview.drafts.map((d) =>
      t("residents:result.draftLine", {
        created: date(d.createdAt),
        last: date(d.lastActivityAt),
        files: d.files,
      })
    ),
    callbacks: overview.callbacks.map((c) =>
      t("residents:result.callbackLine", {
        reference: c.reference,
        status: t(`residents:result.callbackStatus.${c.status}`, {
          defaultValue: c.status,
        }),
        date: date(c.createdAt),
        attempts: c.attempts,
      })
    ),
    conversations: overview.conversations.map((c) =>
      t("residents:result.conversationLine", {
        date: date(c.lastMessageAt),
        lines: c.lines,
      })
    ),
    texts: newestText
      ? t("residents:result.textsCount", {
          count: overview.texts.length,
          date: date(newestText),
        })
      : null,
    codes:
      overview.oneTimeCodes > 0
        ? t("residents:result.codesCount", { count: overview.oneTimeCodes })
        : null,
    botStates:
      overview.botStates > 0
        ? t("residents:result.botStatesCount", { count: overview.botStates })
        : null,
    leads: overview.outreachLeads.map((l) =>
      t("residents:result.leadLine", {
        date: l.dataDate,
        status: t(`residents:result.leadStatus.${l.status}`, {
          defaultValue: l.status,
        }),
        contacts: l.contacts,
        invitations: l.invitations,
      })
    ),
    objections:
      overview.objectionsSent > 0
        ? t("residents:result.objectionsCount", {
            count: overview.objectionsSent,
          })
        : null,
    smsOptOut: overview.smsOptOut,
    screeningOptOut: overview.screeningOptOut,
    /** cases that stop an erasure (see eraseResident) */
    blocking: overview.applications
      .filter((a) => a.status !== "rejected" && a.status !== "withdrawn")
      .map((a) =>
        t("residents:erase.blockedCase", {
          reference: a.reference,
          status: status(a.status),
        })
      ),
  };
}

export type ResidentPresented = ReturnType<typeof present>;

interface SearchAnswer {
  errors?: FieldErrors;
  values?: {
    idNumber: string;
    phone: string;
    reference: string;
    reason: string;
  };
  found?: {
    held: ResidentPresented;
    nothing: boolean;
    query: Record<string, string>;
    reason: string;
    mayErase: boolean;
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form, "resident.export");
  const { lng, t } = await translatorFor(request, [
    "residents",
    "case",
    "common",
  ]);
  const values = {
    idNumber: String(form.get("idNumber") ?? "").slice(0, 100),
    phone: String(form.get("phone") ?? "").slice(0, 100),
    reference: String(form.get("reference") ?? "").slice(0, 100),
    reason: String(form.get("reason") ?? "").slice(
      0,
      RESIDENT_REASON_MAX + 100
    ),
  };
  const errors: FieldErrors = {};
  const read = readResidentQuery(form, todayInShanghai(new Date()));
  if (!read.ok)
    for (const [field, key] of Object.entries(read.errors))
      errors[field] = t(`residents:${key}`);
  const reason = readReason(form.get("reason"));
  if (!reason.ok)
    errors.reason = t(`residents:find.errors.${reason.error}`, {
      max: RESIDENT_REASON_MAX,
    });
  if (read.ok && reason.ok) {
    const resolved = await resolveResident(db, read.query);
    if (!resolved.ok) {
      if (resolved.error === "sharedPhone")
        errors.phone = t("residents:find.errors.sharedPhone");
      else errors.reference = t(`residents:find.errors.${resolved.error}`);
    } else {
      const data = await collectResidentData(db, resolved.key);
      await auditResidentAccess(db, {
        ...staffActor(ctx),
        action: "view_resident",
        key: resolved.key,
        reason: reason.reason,
        detail: { held: countHeld(data) },
      });
      const answer: SearchAnswer = {
        found: {
          held: present(residentOverview(data), lng, t),
          nothing: holdsNothing(data),
          query: hiddenQuery(read.query),
          reason: reason.reason,
          mayErase: can(ctx.staff.role, "resident.erase"),
        },
      };
      return json(answer, { headers: NO_STORE });
    }
  }
  markFormErrors(context);
  return json<SearchAnswer>(
    { errors, values },
    { status: 400, headers: NO_STORE }
  );
}

function Section({
  heading,
  id,
  items,
  empty,
}: {
  heading: string;
  id: string;
  items: Array<string | null>;
  empty: string;
}) {
  const shown = items.filter((i): i is string => i !== null);
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      {shown.length > 0 ? (
        <ul className="resident-list">
          {shown.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      ) : (
        <p>{empty}</p>
      )}
    </section>
  );
}

/** Hidden copies of the search, so the next form acts on the same person. */
function HiddenQuery({
  query,
  reason,
}: {
  query: Record<string, string>;
  reason?: string;
}) {
  return (
    <>
      <CsrfInput />
      {Object.entries(query).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {reason !== undefined ? (
        <input type="hidden" name="reason" value={reason} />
      ) : null}
    </>
  );
}

function Found({ found }: { found: NonNullable<SearchAnswer["found"]> }) {
  const { t } = useTranslation("residents");
  const h = found.held;
  return (
    <>
      <p>
        <a href="/staff/residents" className="back-link">
          {t("result.again")}
        </a>
      </p>
      <h1>{t("result.heading")}</h1>
      <dl className="summary-list">
        <div className="summary-row">
          <dt>{t("result.idNumber")}</dt>
          <dd>{h.idNumber}</dd>
        </div>
        <div className="summary-row">
          <dt>{t("result.phones")}</dt>
          <dd>{h.phones}</dd>
        </div>
      </dl>
      {found.nothing ? (
        <p className="notice">{t("result.nothing")}</p>
      ) : (
        <>
          <section aria-labelledby="cases-heading">
            <h2 id="cases-heading">{t("result.cases")}</h2>
            {h.cases.length > 0 ? (
              <ul className="resident-list">
                {h.cases.map((c) => (
                  <li key={c.reference}>
                    <a href={`/staff/cases/${c.reference}`}>{c.line}</a>{" "}
                    {c.counts}
                    {c.documents.length > 0 ? (
                      <ul>
                        {c.documents.map((d) => (
                          <li key={d.id}>{d.text}</li>
                        ))}
                      </ul>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t("result.none")}</p>
            )}
          </section>
          <Section
            id="proxy-heading"
            heading={t("result.proxyFor")}
            items={h.proxyFor}
            empty={t("result.none")}
          />
          <Section
            id="drafts-heading"
            heading={t("result.drafts")}
            items={h.drafts}
            empty={t("result.none")}
          />
          <Section
            id="callbacks-heading"
            heading={t("result.callbacks")}
            items={h.callbacks}
            empty={t("result.none")}
          />
          <Section
            id="conversations-heading"
            heading={t("result.conversations")}
            items={h.conversations}
            empty={t("result.none")}
          />
          <Section
            id="texts-heading"
            heading={t("result.texts")}
            items={[h.texts]}
            empty={t("result.none")}
          />
          <Section
            id="codes-heading"
            heading={t("result.codes")}
            items={[h.codes]}
            empty={t("result.none")}
          />
          <Section
            id="bot-heading"
            heading={t("result.botStates")}
            items={[h.botStates]}
            empty={t("result.none")}
          />
          <Section
            id="leads-heading"
            heading={t("result.leads")}
            items={h.leads}
            empty={t("result.none")}
          />
          <Section
            id="objections-heading"
            heading={t("result.objections")}
            items={[h.objections]}
            empty={t("result.none")}
          />
          <Section
            id="optouts-heading"
            heading={t("result.optOuts")}
            items={[
              h.smsOptOut ? t("result.smsOptOut") : null,
              h.screeningOptOut ? t("result.screeningOptOut") : null,
            ]}
            empty={t("result.none")}
          />

          <section
            aria-labelledby="download-heading"
            className="resident-action"
          >
            <h2 id="download-heading">{t("download.heading")}</h2>
            <p>{t("download.body")}</p>
            <form method="post" action="/staff/residents/export">
              <HiddenQuery query={found.query} reason={found.reason} />
              <button type="submit" className="button">
                {t("download.submit")}
              </button>
            </form>
          </section>

          {found.mayErase ? (
            <section
              aria-labelledby="erase-heading"
              className="resident-action"
            >
              <h2 id="erase-heading">{t("erase.heading")}</h2>
              {h.blocking.length > 0 ? (
                <>
                  <p>{t("erase.blocked")}</p>
                  <ul className="resident-list">
                    {h.blocking.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                  <p>{t("erase.blockedHelp")}</p>
                </>
              ) : (
                <>
                  <p>{t("erase.body")}</p>
                  {h.screeningOptOut ? <p>{t("erase.keptOptOut")}</p> : null}
                  <form method="post" action="/staff/residents/erase">
                    <HiddenQuery query={found.query} />
                    <input type="hidden" name="intent" value="start" />
                    <button type="submit" className="button warning">
                      {t("erase.start")}
                    </button>
                  </form>
                </>
              )}
            </section>
          ) : null}
        </>
      )}
    </>
  );
}

export default function Residents() {
  const { t } = useTranslation("residents");
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as SearchAnswer | undefined;
  if (answer?.found) return <Found found={answer.found} />;
  const errors = answer?.errors ?? {};
  const values = answer?.values;
  return (
    <>
      <ErrorSummary problems={toProblems(errors)} />
      {data.erased && !answer ? (
        <div className="notice" role="status">
          <p>{t("erased")}</p>
        </div>
      ) : null}
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      <form method="post" noValidate aria-labelledby="find-heading">
        <CsrfInput />
        <h2 id="find-heading">{t("find.heading")}</h2>
        <p className="hint">{t("find.hint")}</p>
        <TextField
          name="idNumber"
          label={t("find.idNumber")}
          error={errors.idNumber}
          defaultValue={values?.idNumber}
          autoComplete="off"
          maxLength={40}
        />
        <TextField
          name="phone"
          label={t("find.phone")}
          type="tel"
          error={errors.phone}
          defaultValue={values?.phone}
          autoComplete="off"
          maxLength={40}
        />
        <TextField
          name="reference"
          label={t("find.reference")}
          hint={t("find.referenceHint")}
          error={errors.reference}
          defaultValue={values?.reference}
          autoComplete="off"
          maxLength={40}
        />
        <div className={errors.reason ? "field has-error" : "field"}>
          <label htmlFor="reason">{t("find.reason")}</label>
          <p id="reason-hint" className="hint">
            {t("find.reasonHint")}
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
            defaultValue={values?.reason}
            aria-invalid={errors.reason ? true : undefined}
            aria-describedby={[
              "reason-hint",
              errors.reason ? "reason-error" : null,
            ]
              .filter(Boolean)
              .join(" ")}
          />
        </div>
        <button type="submit" className="button">
          {t("find.submit")}
        </button>
      </form>
    </>
  );
}
