// /dev/sms: the phone simulator's inbox, in demo mode only (404 otherwise).
// Enter a mobile number and see the texts the outbox holds for it, oldest
// first, with when and whether each went. The form posts and is redirected to
// /dev/sms?phone=+86…: a number in an address is personal data, acceptable
// here only because demo mode holds demo data. Works without JavaScript.
// Its JSON API (POST /dev/sms {"from","body"} → {"replies":[…]}) is served
// before Remix by bot/http.ts: a document POST here always renders the page.
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, toProblems, type FieldErrors } from "~/components/form/error-summary";
import { TextField } from "~/components/form/text-field";
import { maskPhone, normalizeMobile } from "~/domain/callback";
import { config } from "~/services/config.server";
import { db } from "~/services/db.server";
import { translatorFor } from "~/services/i18n.server";
import { textsSentTo } from "~/services/outbox.server";
import { senderFromConfig } from "~/services/sms-sender.server";
import { SIMULATED_TEXT_MAX, simulateIncomingText, textsSentFrom } from "~/services/phone-simulator.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { formatShanghai } from "~/domain/time/shanghai-format";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { RepeatGuard } from "~/components/form/repeat-guard";

export const handle = { i18n: ["common", "devsms"] };

const NS = ["devsms", "callback", "common"];
const NO_STORE = { "Cache-Control": "private, no-store" };

function requireDemo(): void {
  if (!config().demo) throw new Response("Not found", { status: 404 });
}

/** "30 Nov, 14:05" / "11月30日 14:05" on the Asia/Shanghai clock. */
function when(date: Date, lng: string): string {
  return formatShanghai(lng, date, "dayMonthTime");
}

/** The address of this page for one phone, keeping an explicit ?lng=. */
function inboxUrl(request: Request, phone: string): string {
  const params = new URLSearchParams({ phone });
  const lng = new URL(request.url).searchParams.get("lng");
  if (lng) params.set("lng", lng);
  return `/dev/sms?${params.toString()}`;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireDemo();
  const { lng, t } = await translatorFor(request, NS);
  const asked = new URL(request.url).searchParams.get("phone");
  const normalized = asked === null ? null : normalizeMobile(asked);
  const error = normalized && !normalized.ok ? t(`callback:${normalized.error}`) : null;
  const phone = normalized?.ok ? normalized.phone : null;
  const texts = phone
    ? [
        ...(await textsSentTo(db, phone)).map((text) => ({
          id: text.id,
          // queued order, as the phone would receive them
          order: text.createdAt.toISOString(),
          from: "service" as const,
          body: text.body,
          lang: text.language as string | null,
          status: (text.status === "pending" && text.attempts > 0 ? "retrying" : text.status) as string | null,
          at: (text.sentAt ?? text.createdAt).toISOString(),
          time: when(text.sentAt ?? text.createdAt, lng),
        })),
        // What the phone sent the assistant, so the page reads like the phone's own thread.
        ...(await textsSentFrom(phone)).map((text, i) => ({
          id: `sent-${i}`,
          order: text.at,
          from: "phone" as const,
          body: text.text,
          lang: null as string | null,
          status: null as string | null,
          at: text.at,
          time: when(new Date(text.at), lng),
        })),
      ].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0))
    : [];
  return json(
    {
      pageTitle: pageTitle(t, t("devsms:title"), hasFormErrors(context) || error !== null),
      simulated: senderFromConfig(config()).kind === "simulator",
      phoneInput: asked ?? "",
      error,
      inbox: phone ? { phone, maskedPhone: maskPhone(phone), refreshUrl: inboxUrl(request, phone), texts } : null,
    },
    { status: error ? 400 : 200, headers: NO_STORE },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => (actionHeaders.has("Cache-Control") ? actionHeaders : loaderHeaders);

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }, { name: "robots", content: "noindex" }];

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("dev.sms", guardedAction)(args);
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  requireDemo();
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded" && type !== "multipart/form-data") {
    return new Response(null, { status: 415, headers: NO_STORE });
  }
  const { t } = await translatorFor(request, NS);
  const form = await readForm(request);
  const raw = form.get("phone");
  const phone = typeof raw === "string" ? raw : "";
  const rawBody = form.get("body");
  const body = typeof rawBody === "string" ? rawBody : "";
  const normalized = normalizeMobile(phone);
  if (!normalized.ok) {
    markFormErrors(context);
    const errors: FieldErrors = { phone: t(`callback:${normalized.error}`) };
    return json({ errors, values: { phone, body } }, { status: 400, headers: NO_STORE });
  }
  if (form.get("intent") === "send") {
    const problem = body.trim() === "" ? "send.empty" : body.length > SIMULATED_TEXT_MAX ? "send.tooLong" : null;
    if (problem) {
      markFormErrors(context);
      const errors: FieldErrors = { body: t(`devsms:${problem}`) };
      return json({ errors, values: { phone, body } }, { status: 400, headers: NO_STORE });
    }
    await simulateIncomingText(normalized.phone, body);
    return redirect(`${inboxUrl(request, normalized.phone)}#latest`, { status: 303, headers: NO_STORE });
  }
  return redirect(inboxUrl(request, normalized.phone), { status: 303, headers: NO_STORE });
}

// Links in a text can be followed, as on a phone: ASCII up to a space or a
// Chinese character, without trailing punctuation.
const LINK = /https?:\/\/[\x21-\x7e]*[\w/#=&~-]/g;

function TextBody({ body }: { body: string }) {
  const parts: Array<string | JSX.Element> = [];
  let last = 0;
  for (const match of body.matchAll(LINK)) {
    const start = match.index ?? 0;
    parts.push(body.slice(last, start), <a key={start} href={match[0]}>{match[0]}</a>);
    last = start + match[0].length;
  }
  parts.push(body.slice(last));
  return <>{parts}</>;
}

export default function PhoneSimulator() {
  const { t } = useTranslation("devsms");
  const { simulated, phoneInput, error, inbox } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: FieldErrors = actionData?.errors ?? (error ? { phone: error } : {});

  return (
    <>
      <ErrorSummary problems={toProblems(errors)} />
      <h1>{t("title")}</h1>
      <p className="lead">{t("lead")}</p>
      <p className="notice">{simulated ? t("simulated") : t("realTexts")}</p>
      <Form method="post" noValidate>
        <RepeatGuard />
        <TextField
          name="phone"
          type="tel"
          inputMode="tel"
          autoComplete="off"
          label={t("phone.label")}
          hint={t("phone.hint")}
          error={errors.phone}
          defaultValue={actionData?.values.phone ?? phoneInput}
        />
        <button type="submit" className="button">
          {t("submit")}
        </button>
      </Form>
      {inbox ? (
        <section className="sms-phone" aria-labelledby="sms-inbox-title">
          <h2 id="sms-inbox-title">{t("inbox.title", { phone: inbox.maskedPhone })}</h2>
          {inbox.texts.length === 0 ? (
            <p>{t("inbox.empty")}</p>
          ) : (
            <ol className="sms-thread">
              {inbox.texts.map((text, i) => (
                <li key={text.id} id={i === inbox.texts.length - 1 ? "latest" : undefined} className={`sms-text ${text.from === "phone" ? "from-phone" : ""}`}>
                  <p className="sms-meta">{text.from === "phone" ? t("thread.you") : t("thread.service")}</p>
                  <p lang={text.lang ?? undefined}>
                    <TextBody body={text.body} />
                  </p>
                  <p className="sms-meta">
                    <time dateTime={text.at}>{text.time}</time>
                    {text.status ? (
                      <>
                        {" "}
                        · <span className={`sms-status ${text.status}`}>{t(`status.${text.status}`)}</span>
                      </>
                    ) : null}
                  </p>
                </li>
              ))}
            </ol>
          )}
          <p>
            <a href={inbox.refreshUrl}>{t("inbox.refresh")}</a>
          </p>
          <Form method="post" noValidate>
            <RepeatGuard />
            <input type="hidden" name="phone" value={inbox.phone} />
            <input type="hidden" name="intent" value="send" />
            <TextField name="body" autoComplete="off" label={t("send.label")} hint={t("send.hint")} error={errors.body} defaultValue={actionData?.values.body ?? ""} />
            <button type="submit" className="button">
              {t("send.submit")}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
