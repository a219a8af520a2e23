// /staff/callbacks: the call-back queue (queue.view). Open items, overdue
// first, then by due time and priority, 50 a page; filters are plain links
// (all, mine, overdue, and flagged for supervisors with queue.flagged). Phones
// are masked here: the full number is shown only on an item's own page to
// the caseworker who took it. "Take the next most urgent" (queue.work) claims
// the top item atomically and opens it.
import type {
  ActionFunctionArgs,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/staff/csrf-input";
import {
  isElderly,
  isOverdue,
  isQueueFilter,
  maskPhone,
  QUEUE_FILTERS,
  type QueueFilter,
} from "~/domain/callback";
import { can } from "~/domain/staff/permissions";
import { claimNextCallback, listQueue } from "~/models/callback.server";
import { recordAudit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import {
  requireStaff,
  requireStaffAction,
  staffActor,
} from "~/services/staff-session.server";
import { shanghaiTime } from "~/domain/callback/shanghai-time";
import { memoTranslate } from "~/utils/memo-translate";
import { PageLinks } from "~/components/layout/page-links";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";

export const handle = { i18n: ["common", "staff", "queue"] };

const MAX_PAGE = 10_000;

function readQuery(url: URL): { filter: QueueFilter; page: number } {
  const raw = url.searchParams.get("filter");
  const filter = isQueueFilter(raw) ? raw : "all";
  const n = Number.parseInt(url.searchParams.get("page") ?? "1", 10);
  return {
    filter,
    page: Number.isFinite(n) && n >= 1 ? Math.min(n, MAX_PAGE) : 1,
  };
}

function href(filter: QueueFilter, page = 1): string {
  const q = new URLSearchParams();
  if (filter !== "all") q.set("filter", filter);
  if (page > 1) q.set("page", String(page));
  const text = q.toString();
  return text ? `/staff/callbacks?${text}` : "/staff/callbacks";
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request, "queue.view");
  const { filter, page } = readQuery(new URL(request.url));
  // Flagged items are the supervisors' list: asking for it without the permission is refused, not quietly widened.
  if (filter === "flagged" && !can(ctx.staff.role, "queue.flagged"))
    throw new Response("Forbidden", { status: 403 });
  const { lng, t } = await translatorFor(request, ["queue", "staff"]);
  const now = new Date();
  const list = await listQueue(
    db,
    { filter, staffId: ctx.staff.id, page },
    now
  );
  const { actor, actorName } = staffActor(ctx);
  // Masked numbers are still about people: each look at the list is on the record (filter, page, count only).
  await recordAudit(db, {
    actor,
    actorName,
    action: "view_callback_queue",
    subjectType: "callback",
    detail: { filter, page: list.page, shown: list.items.length },
  });
  return json(
    {
      pageTitle: `${t("queue:title")} – ${t("staff:layout.console")}`,
      filter,
      filters: QUEUE_FILTERS.filter(
        (f) => f !== "flagged" || can(ctx.staff.role, "queue.flagged")
      ).map((f) => ({ id: f, href: href(f) })),
      canWork: can(ctx.staff.role, "queue.work"),
      total: list.total,
      page: list.page,
      pages: list.pages,
      previous: list.page > 1 ? href(filter, list.page - 1) : null,
      next: list.page < list.pages ? href(filter, list.page + 1) : null,
      items: list.items.map((item) => ({
        reference: item.reference,
        maskedPhone: maskPhone(item.phone),
        source: item.source,
        language: item.language,
        due: shanghaiTime(lng, item.dueAt),
        overdue: isOverdue(item.dueAt, now),
        urgent: item.urgent,
        elderly: isElderly(item.oldestAge),
        failedAttempts: item.failedAttempts,
        flagged: item.flagged,
        status: item.status,
        mine: item.claimedById === ctx.staff.id,
      })),
    },
    { headers: { "Cache-Control": "private, no-store" } }
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.pageTitle ?? "" },
];

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("staff.callbacks", guardedAction)(args);
}

async function guardedAction({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form, "queue.work");
  if (form.get("intent") !== "next") return redirect("/staff/callbacks", 303);
  // The claim and its audit entry ("claim_callback", via next) commit together.
  const claimed = await claimNextCallback(db, ctx.staff.id, new Date(), staffActor(ctx));
  // "taken": items are waiting but others were taking each of them just then; trying again may work.
  if (!claimed.ok) return json({ notice: claimed.reason === "none" ? ("queueEmpty" as const) : ("queueBusy" as const) });
  return redirect(`/staff/callbacks/${claimed.reference}`, 303);
}

export default function CallbackQueue() {
  // Each row asks for the same labels and tags: looked up once per render.
  const { t: translate, i18n } = useTranslation("queue");
  const t = memoTranslate(translate, `${i18n.language}|queue`);
  const data = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const filterName = t(`filters.${data.filter}`);
  return (
    <>
      <h1>{t("title")}</h1>
      <p>{t("lead")}</p>
      {done?.notice ? (
        <p className="notice" role="status">
          {t(done.notice)}
        </p>
      ) : null}
      {data.canWork ? (
        <form method="post" action="/staff/callbacks">
          <CsrfInput />
          <RepeatGuard />
          <input type="hidden" name="intent" value="next" />
          <button type="submit" className="button">
            {t("takeNext")}
          </button>
        </form>
      ) : null}
      <nav aria-label={t("filters.label")} className="queue-filters">
        <ul>
          {data.filters.map((f) => (
            <li key={f.id}>
              <a
                href={f.href}
                aria-current={f.id === data.filter ? "page" : undefined}
              >
                {t(`filters.${f.id}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {data.items.length === 0 ? (
        <p>{t("empty")}</p>
      ) : (
        <table className="queue-table">
          <caption>
            {t("table.caption", {
              filter: filterName,
              total: data.total,
              page: data.page,
              pages: data.pages,
            })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t("table.reference")}</th>
              <th scope="col">{t("table.phone")}</th>
              <th scope="col">{t("table.source")}</th>
              <th scope="col">{t("table.due")}</th>
              <th scope="col">{t("table.priority")}</th>
              <th scope="col">{t("table.status")}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((item) => {
              const reasons = [
                item.urgent ? t("tags.urgent") : null,
                item.elderly ? t("tags.elderly") : null,
                item.failedAttempts > 0
                  ? t("tags.failed", { count: item.failedAttempts })
                  : null,
              ].filter((r): r is string => r !== null);
              return (
                <tr key={item.reference}>
                  <th scope="row" data-label={t("table.reference")}>
                    <a href={`/staff/callbacks/${item.reference}`}>
                      {item.reference}
                    </a>
                    {item.flagged ? (
                      <span className="tag queue-flagged">
                        {t("tags.flagged")}
                      </span>
                    ) : null}
                  </th>
                  <td data-label={t("table.phone")}>{item.maskedPhone}</td>
                  <td data-label={t("table.source")}>
                    {t(`source.${item.source}`, { defaultValue: item.source })}
                    <span className="hint queue-language">
                      {" "}
                      (
                      {t(`languages.${item.language}`, {
                        defaultValue: item.language,
                      })}
                      )
                    </span>
                  </td>
                  <td data-label={t("table.due")}>
                    {item.due}
                    {item.overdue ? (
                      <span className="tag queue-overdue">
                        {t("tags.overdue")}
                      </span>
                    ) : null}
                  </td>
                  <td data-label={t("table.priority")}>
                    {reasons.length > 0
                      ? reasons.join(t("separator", { defaultValue: ", " }))
                      : t("tags.none")}
                  </td>
                  <td data-label={t("table.status")}>
                    {item.status === "claimed"
                      ? item.mine
                        ? t("status.claimedByYou")
                        : t("status.claimedBySomeone")
                      : t("status.queued")}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <PageLinks
        previous={data.previous}
        next={data.next}
        label={t("pages.label")}
        previousText={t("pages.previous")}
        nextText={t("pages.next")}
        pageText={t("pages.of", { page: data.page, pages: data.pages })}
        className="queue-pages"
      />
    </>
  );
}
