// /staff/cases/:reference/letter: the decision letter to print and send, in
// the application's language by default with a link to the other (?letter=).
// It says what was decided, the amounts and for how long (or the reasons in
// plain words), how to ask for a review (复核) and by when, and whom to
// contact. The staff page around it stays in the staff member's language; the
// letter carries its own lang. Only for decided cases; each view is audited.
// (The _ in the file name keeps it out of the case page's layout: it is a
// page of its own, not a part of the case page.)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { fenToYuanText, REVIEW_PERIOD_DAYS, reviewDeadline } from "~/domain/case";
import { amountText, programName } from "~/domain/eligibility";
import { isLanguage, type Language } from "~/i18n";
import { auditCaseView, getCaseForReview } from "~/models/case-review.server";
import { db } from "~/services/db.server";
import { fixedT, translatorFor } from "~/services/i18n.server";
import { requireStaff, staffActor } from "~/services/staff-session.server";
import { formatShanghai } from "~/domain/time/shanghai-format";

export const handle = { i18n: ["common", "staff", "cases", "letter"] };

/** The help starts after the 7-day public notice that follows an approval. */
const PUBLIC_NOTICE_DAYS = 7;

function dateText(lng: Language, at: Date): string {
  return formatShanghai(lng, at, "dateLong");
}

function isoDateText(lng: Language, iso: string): string {
  return dateText(lng, new Date(`${iso}T12:00:00+08:00`));
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "case.view");
  const { t } = await translatorFor(request, ["cases", "staff"]);
  const view = await getCaseForReview(db, params.reference ?? "");
  if (!view || !view.decision || !view.decidedAt) throw new Response(null, { status: 404 });
  const asked = new URL(request.url).searchParams.get("letter");
  const lng: Language = isLanguage(asked) ? asked : view.language;
  const other: Language = lng === "en" ? "zh-CN" : "en";
  const lt = fixedT(lng, ["letter", "rules"]);
  const decidedAt = view.decidedAt;
  const startsOn = new Date(decidedAt.getTime() + PUBLIC_NOTICE_DAYS * 24 * 3600_000);
  const approved = view.decision.outcome === "approved";

  const { actor, actorName } = staffActor(ctx);
  await auditCaseView(db, { actor, actorName, action: "view_letter", reference: view.reference, detail: { language: lng, outcome: view.decision.outcome } });

  return json(
    {
      reference: view.reference,
      letterLanguage: lng,
      switchTo: other,
      switchLabel: t(`cases:letterSwitch.${other}`),
      letter: {
        title: lt("letter:title"),
        to: lt("letter:to", { name: view.applicant.name }),
        reference: lt("letter:reference", { reference: view.reference }),
        date: lt("letter:date", { date: dateText(lng, decidedAt) }),
        outcome: lt(approved ? "letter:approved.outcome" : "letter:rejected.outcome"),
        amountsHeading: approved ? lt("letter:approved.amountsHeading") : null,
        amounts: approved
          ? (view.decision.amounts ?? []).map((a) => ({
              program: programName(lt, a.program),
              amount: amountText(lt, { value: Number(fenToYuanText(a.fen)), period: a.period }),
              period: lt(`letter:approved.period.${a.period}`, { date: dateText(lng, startsOn) }),
            }))
          : [],
        approvedNext: approved ? lt("letter:approved.next", { days: PUBLIC_NOTICE_DAYS }) : null,
        reasonsHeading: approved ? null : lt("letter:rejected.reasonsHeading"),
        reasons: approved ? [] : (view.decision.reasons ?? []).map((r) => lt(`letter:rejectReasons.${r}`)),
        note: !approved && view.decision.note ? lt("letter:rejected.note", { note: view.decision.note }) : null,
        againHint: approved ? null : lt("letter:rejected.again"),
        reviewHeading: lt("letter:review.heading"),
        review: lt("letter:review.body", { days: REVIEW_PERIOD_DAYS, date: isoDateText(lng, reviewDeadline(decidedAt)) }),
        reviewHow: lt("letter:review.how", { reference: view.reference }),
        contactHeading: lt("letter:contact.heading"),
        contact: lt("letter:contact.body"),
        signature: lt("letter:signature"),
      },
      pageTitle: `${t("cases:letterPage.title", { reference: view.reference })} – ${t("staff:layout.console")}`,
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

export default function DecisionLetter() {
  const { t } = useTranslation("cases");
  const data = useLoaderData<typeof loader>();
  const l = data.letter;
  return (
    <>
      <div className="letter-tools">
        <p>
          <a href={`/staff/cases/${data.reference}`} className="back-link">
            {t("letterPage.back")}
          </a>
        </p>
        <h1>{t("letterPage.title", { reference: data.reference })}</h1>
        <p className="hint">{t("letterPage.printHint")}</p>
        <p>
          <a href={`/staff/cases/${data.reference}/letter?letter=${data.switchTo}`} className="case-link" hrefLang={data.switchTo}>
            {data.switchLabel}
          </a>
        </p>
      </div>
      <article className="letter" lang={data.letterLanguage} aria-labelledby="letter-title">
        <h2 id="letter-title">{l.title}</h2>
        <p>{l.reference}</p>
        <p>{l.date}</p>
        <p>{l.to}</p>
        <p>
          <strong>{l.outcome}</strong>
        </p>
        {l.amountsHeading ? (
          <>
            <h3>{l.amountsHeading}</h3>
            <ul>
              {l.amounts.map((a) => (
                <li key={a.program}>
                  {a.program}: {a.amount}. {a.period}
                </li>
              ))}
            </ul>
            <p>{l.approvedNext}</p>
          </>
        ) : null}
        {l.reasonsHeading ? (
          <>
            <h3>{l.reasonsHeading}</h3>
            <ul>
              {l.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
            {l.note ? <p>{l.note}</p> : null}
            <p>{l.againHint}</p>
          </>
        ) : null}
        <h3>{l.reviewHeading}</h3>
        <p>{l.review}</p>
        <p>{l.reviewHow}</p>
        <h3>{l.contactHeading}</h3>
        <p>{l.contact}</p>
        <p>{l.signature}</p>
      </article>
    </>
  );
}
